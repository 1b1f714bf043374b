// POST /_emulator/reset does bounded work: a compressed body is limited by its decoded size (a 249 KB gzip body
// used to inflate to 256 MB), and resets run one at a time.
import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { RESET_BODY_LIMIT } from '../../server/admin/data.js';
import { createApp } from '../../server/app.js';
import { MAX_BODY_DEPTH, MAX_BODY_VALUES } from '../../server/http/jsonDepth.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { Dataset } from '../../server/store/records.js';
import { expectGraphError } from '../support/graph.js';
import { realServer, send } from '../support/realServer.js';

describe('the reset body', () => {
  it('is limited to 32 MB once decoded, however small it was compressed', async () => {
    const emulator = await realServer({});
    try {
      // JSON whitespace compresses about a thousand to one.
      const bomb = gzipSync(Buffer.concat([Buffer.from('{"accessPackages":['), Buffer.alloc(RESET_BODY_LIMIT + 1024, ' '), Buffer.from(']}')]));
      expect(bomb.length).toBeLessThan(256 * 1024);
      const res = await send(emulator.port, {
        method: 'POST',
        path: '/_emulator/reset',
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        body: bomb,
      });
      expectGraphError(res, 413, 'RequestEntityTooLarge', `The request body exceeds the maximum allowed size of ${RESET_BODY_LIMIT} bytes.`);
    } finally {
      await emulator.close();
    }
  });

  // The text is read before JSON.parse builds anything: a body that is too deep is refused even where it is not
  // JSON further on (it was 'Unable to read JSON', after the whole value was built: 16 Mi '[' took 1.8 GB).
  it.each([
    ['gzip', (text: string) => gzipSync(text), { 'Content-Encoding': 'gzip' }],
    ['plain', (text: string) => Buffer.from(text), {}],
  ])('refuses nesting past 100 levels before parsing (%s body)', async (_name, encode, headers) => {
    const emulator = await realServer({});
    try {
      const res = await send(emulator.port, {
        method: 'POST',
        path: '/_emulator/reset',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: encode(`${'['.repeat(101)}not json`),
      });
      expectGraphError(res, 400, 'BadRequest', `The request body nests arrays and objects more than ${MAX_BODY_DEPTH} levels deep.`);
    } finally {
      await emulator.close();
    }
  });

  it(`refuses a body of more than ${MAX_BODY_VALUES} JSON values, before parsing`, async () => {
    const emulator = await realServer({});
    try {
      // 2 MB of `0,`: within the size limit; 11 million such values would have taken JSON.parse about 1 GB.
      const body = gzipSync(`{"accessPackages":[${'0,'.repeat(MAX_BODY_VALUES)}0]}`);
      const res = await send(emulator.port, {
        method: 'POST',
        path: '/_emulator/reset',
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        body,
      });
      expectGraphError(
        res,
        413,
        'RequestEntityTooLarge',
        `The request body holds more than ${MAX_BODY_VALUES} JSON values (arrays, objects, strings, numbers, true, false and null).`,
      );
    } finally {
      await emulator.close();
    }
  });

  it('a compressed export within the limit still loads', async () => {
    const emulator = await realServer({});
    try {
      const body = gzipSync(JSON.stringify({ accessPackages: [], accessPackageCatalogs: [] }));
      const res = await send(emulator.port, {
        method: 'POST',
        path: '/_emulator/reset',
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        body,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'reset', fixtures: 'request body' });
    } finally {
      await emulator.close();
    }
  });
});

describe('resets at once', () => {
  it('run one after the other, each answered', async () => {
    let running = 0;
    let most = 0;
    class SlowStore extends MemoryStore {
      override async replaceAll(dataset: Dataset): Promise<void> {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await super.replaceAll(dataset);
        running -= 1;
      }
    }
    const app = createApp({ store: new SlowStore() });
    const answers = await Promise.all([1, 2, 3, 4].map((seed) => request(app).post('/_emulator/reset').send({ fixtures: 'empty', seed })));
    expect(answers.map((res) => [res.status, res.body.seed])).toEqual([
      [200, 1],
      [200, 2],
      [200, 3],
      [200, 4],
    ]);
    expect(most).toBe(1);
  });
});
