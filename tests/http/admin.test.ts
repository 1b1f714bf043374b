import { describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { countsOf, recordCounts } from '../support/counts.js';
import { section } from '../support/markdown.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { FileStore } from '../../server/store/fileStore.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';

const PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';
const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';
const small = (seed: number) => generateDataset({ seed, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE });

function appWith(store = new MemoryStore()) {
  return { store, app: createApp({ store, fixtures: { fixtures: 'small', seed: 5, referenceDate: REFERENCE_DATE } }) };
}

async function adminToken(app: ReturnType<typeof createApp>): Promise<string> {
  return (await request(app).post('/_emulator/token').send({})).body.access_token;
}

function expectGraphError(res: request.Response, status: number, code: string, message: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.body.error).toMatchObject({ code });
  expect(res.body.error.message).toContain(message);
}

describe('GET /_emulator/export', () => {
  it('answers the data file format, byte for byte what the store would write', async () => {
    const { app } = appWith(new MemoryStore(small(11)));
    const res = await request(app).get('/_emulator/export');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.text).toBe(serializeDataset(small(11)));
  });

  it('answers exports asked at once one after the other, each whole, the tenant taken when its turn comes', async () => {
    const store = new MemoryStore(small(11));
    const { app } = appWith(store);
    const taken: number[] = [];
    const snapshot = store.snapshot.bind(store);
    store.snapshot = () => {
      taken.push(Date.now());
      return snapshot();
    };
    const answers = await Promise.all([1, 2, 3].map(() => request(app).get('/_emulator/export')));
    expect(answers.map((r) => [r.status, r.text === serializeDataset(small(11))])).toEqual([
      [200, true],
      [200, true],
      [200, true],
    ]);
    expect(taken).toHaveLength(3);
  });
});

describe('POST /_emulator/reset', () => {
  it('restores the configured set and seed when sent without a body', async () => {
    const { app, store } = appWith();
    await request(app).post(PACKAGES).set('Authorization', 'Bearer t').send({ displayName: 'Scratch' }).expect(201);
    const res = await request(app).post('/_emulator/reset');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'reset', fixtures: 'small', seed: 5, records: countsOf(small(5)) });
    expect(store.snapshot()).toEqual(small(5));
  });

  it('loads another named set with another seed', async () => {
    const { app, store } = appWith();
    const res = await request(app).post('/_emulator/reset').send({ fixtures: 'paging', seed: 7 });
    expect(res.body).toEqual({
      status: 'reset',
      fixtures: 'paging',
      seed: 7,
      records: countsOf(generateDataset({ seed: 7, accessPackages: 250, accessPackageCatalogs: 10, referenceDate: REFERENCE_DATE })),
    });
    expect(store.snapshot()).toEqual(generateDataset({ seed: 7, accessPackages: 250, accessPackageCatalogs: 10, referenceDate: REFERENCE_DATE }));
    await request(app).post('/_emulator/reset').send({ fixtures: 'empty' }).expect(200);
    expect(store.count('accessPackages')).toBe(0);
  });

  it('loads records from the body: an export posted back restores the same bytes', async () => {
    const source = appWith(new MemoryStore(small(21)));
    const exported = (await request(source.app).get('/_emulator/export')).text;
    const { app } = appWith();
    const res = await request(app).post('/_emulator/reset').set('Content-Type', 'application/json').send(exported);
    expect(res.body).toEqual({
      status: 'reset',
      fixtures: 'request body',
      seed: null,
      records: countsOf(small(21)),
    });
    expect((await request(app).get('/_emulator/export')).text).toBe(exported);
  });

  it('answers seed null for a reset from a FIXTURES file, which is not seeded, with or without a seed in the body', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emulator-reset-file-'));
    try {
      const file = path.join(dir, 'records.json');
      await writeFile(file, serializeDataset(small(21)));
      const store = new MemoryStore();
      const app = createApp({ store, fixtures: { fixtures: file, seed: 42, referenceDate: REFERENCE_DATE } });
      // The FIXTURES file by the name it was given is the one name besides the sets a reset body takes (docs/data-and-persistence.md).
      for (const body of [undefined, {}, { seed: 7 }, { fixtures: file }]) {
        const res = await (body === undefined ? request(app).post('/_emulator/reset') : request(app).post('/_emulator/reset').send(body));
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'reset', fixtures: file, seed: null, records: countsOf(small(21)) });
      }
      expect(store.snapshot()).toEqual(small(21));
      expect(
        (
          await request(app)
            .post('/_emulator/reset')
            .send({ fixtures: path.join(dir, 'other.json') })
        ).status,
      ).toBe(400);
      expect(section('docs/data-and-persistence.md', 'Reset and export between tests')).toContain(
        'the `FIXTURES` file, as it was given, is the\none other name it takes: another path is a 400',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'a bad record',
      { accessPackages: [{ id: '8f1c7b55-0d3a-4f2e-9a51-2b7c1d3e4f50', displayName: 7 }] },
      "accessPackages[0]: Invalid value for property 'displayName': cannot convert the literal '7' to the expected type 'Edm.String'.",
    ],
    ['an unknown set', { fixtures: 'huge' }, "Unknown fixture set 'huge'; the sets are empty, small, paging."],
    ['a path instead of a set', { fixtures: '/etc/passwd.json' }, "Unknown fixture set '/etc/passwd.json'"],
    ['a bad seed', { fixtures: 'small', seed: -1 }, "Invalid value for property 'seed': expected a whole number from 0 to 2147483647."],
    ['a seed past 2^31 - 1', { seed: 2 ** 31 }, "Invalid value for property 'seed': expected a whole number from 0 to 2147483647."],
    ['a fractional seed', { seed: 1.5 }, "Invalid value for property 'seed': expected a whole number from 0 to 2147483647."],
    ['a seed given as text', { seed: '7' }, "Invalid value for property 'seed': expected a whole number from 0 to 2147483647."],
    ['a set named by a number', { fixtures: 7 }, "Unknown fixture set '7'; the sets are empty, small, paging. Send records in the body to load other data."],
    ['a set and records at once', { fixtures: 'small', accessPackages: [] }, "Unknown property 'accessPackages'"],
  ])('refuses %s with a Graph 400 and leaves the data as it was', async (_case, body, message) => {
    const { app, store } = appWith(new MemoryStore(small(3)));
    expectGraphError(await request(app).post('/_emulator/reset').send(body), 400, 'BadRequest', message);
    expect(store.snapshot()).toEqual(small(3));
  });

  it('refuses null as a body: neither a choice of fixtures nor records', async () => {
    const { app, store } = appWith(new MemoryStore(small(3)));
    const res = await request(app).post('/_emulator/reset').set('Content-Type', 'application/json').send('null');
    expectGraphError(res, 400, 'BadRequest', 'expected an object with accessPackages and/or ');
    expect(store.snapshot()).toEqual(small(3));
  });

  it.each([0, 2 ** 31 - 1])('takes the seed %d, the ends of the range', async (seed) => {
    const { app } = appWith();
    const res = await request(app).post('/_emulator/reset').send({ seed });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'reset', fixtures: 'small', seed });
  });

  it('takes an empty array as records (a list of no access packages): the tenant keeps only its General catalog', async () => {
    const { app, store } = appWith(new MemoryStore(small(3)));
    const res = await request(app).post('/_emulator/reset').send([]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'reset', fixtures: 'request body', seed: null, records: { ...recordCounts({}), accessPackageCatalogs: 1 } });
    expect(store.snapshot().accessPackageCatalogs.map((c) => c.displayName)).toEqual(['General']);
    expect(store.count('accessPackages')).toBe(0);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const { app } = appWith();
    const res = await request(app).post('/_emulator/reset').set('Content-Type', 'text/plain').send('small');
    expectGraphError(res, 415, 'UnsupportedMediaType', "The content type 'text/plain' is not supported.");
  });
});

describe('POST /_emulator/reset under concurrent creates (file store)', () => {
  it('leaves one consistent tenant in memory and on disk', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emulator-reset-'));
    const file = path.join(dir, 'db.json');
    try {
      const store = await FileStore.open(file);
      await store.replaceAll(small(1));
      const server = createApp({ store, fixtures: { fixtures: 'small', seed: 2, referenceDate: REFERENCE_DATE } }).listen(0);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // then() sends a supertest request at once, so the reset is in flight among the creates.
      const create = (i: number) =>
        request(url)
          .post(PACKAGES)
          .set('Authorization', 'Bearer t')
          .send({ displayName: `Concurrent ${i}` })
          .then((r) => r);
      const before = Array.from({ length: 40 }, (_, i) => create(i));
      const reset = request(url)
        .post('/_emulator/reset')
        .then((r) => r);
      const during = Array.from({ length: 40 }, (_, i) => create(40 + i));
      const responses = await Promise.all([...before, ...during]);
      expect((await reset).status).toBe(200);
      const after = await Promise.all(Array.from({ length: 5 }, (_, i) => create(80 + i)));
      await new Promise<void>((resolve) => server.close(() => resolve()));

      expect([...responses, ...after].map((r) => r.status)).toEqual(Array(85).fill(201));
      const created = new Map([...responses, ...after].map((r) => [r.body.id as string, r.body.displayName as string]));
      const fixture = small(2);
      const fixtureIds = new Set(fixture.accessPackages.map((p) => p.id));
      const state = store.snapshot();
      // Every fixture record of the new set, nothing of the old one, and only creates that landed after the swap.
      expect(state.accessPackageCatalogs).toEqual(fixture.accessPackageCatalogs);
      expect(state.accessPackages.slice(0, 25)).toEqual(fixture.accessPackages);
      const extra = state.accessPackages.slice(25);
      expect(extra.every((p) => created.get(p.id) === p.displayName && !fixtureIds.has(p.id))).toBe(true);
      expect(extra.map((p) => p.displayName)).toEqual(expect.arrayContaining(after.map((r) => r.body.displayName)));
      expect(new Set(state.accessPackages.map((p) => p.id)).size).toBe(state.accessPackages.length);

      await store.close();
      expect(await readFile(file, 'utf8')).toBe(serializeDataset(state));
      const reopened = await FileStore.open(file);
      expect(reopened.snapshot()).toEqual(state);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the paging set over the list endpoint', () => {
  it('serves all 250 generated packages across pages of $top=100, each once, after a reset to it', async () => {
    const { app } = appWith();
    await request(app).post('/_emulator/reset').send({ fixtures: 'paging', seed: 4 }).expect(200);
    const pages: number[] = [];
    const ids: string[] = [];
    let next: string | undefined = `${PACKAGES}?$top=100`;
    while (next !== undefined) {
      const res = await request(app).get(next).set('Authorization', 'Bearer t');
      expect(res.status).toBe(200);
      expect(res.headers['odata-version']).toBe('4.0');
      pages.push(res.body.value.length);
      ids.push(...res.body.value.map((p: { id: string }) => p.id));
      const link = res.body['@odata.nextLink'] as string | undefined;
      next = link === undefined ? undefined : new URL(link).pathname + new URL(link).search;
    }
    expect(pages).toEqual([100, 100, 50]);
    expect(ids).toEqual(
      generateDataset({ seed: 4, accessPackages: 250, accessPackageCatalogs: 10, referenceDate: REFERENCE_DATE }).accessPackages.map((p) => p.id),
    );
  });
});

describe('POST /_emulator/reset queued behind another', () => {
  /** A reset sent on a socket of its own, its body cut after `sent` bytes (all of it by default). */
  function rawReset(port: number, body: string, sent = body.length) {
    const socket = connect(port, '127.0.0.1');
    socket.write(
      `POST /_emulator/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, sent)}`,
    );
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      answer += chunk;
    });
    const status = () => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
    return { socket, status, rest: () => socket.write(body.slice(sent)) };
  }

  it('is dropped when its client goes away while it waits, and the one after it still waits its turn', async () => {
    const store = new MemoryStore(small(3));
    const tenant = store.tenants.get(DEFAULT_TENANT_ID)!;
    const replaceAll = jest.spyOn(tenant, 'replaceAll');
    const server = createApp({ store, fixtures: { fixtures: 'small', seed: 5, referenceDate: REFERENCE_DATE } }).listen(0);
    // Node's 'request' listeners run in order: the app's first, so the reset has reached its queue when this one runs.
    const arrived: IncomingMessage[] = [];
    server.on('request', (req: IncomingMessage) => arrived.push(req));
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    try {
      const port = (server.address() as AddressInfo).port;
      const first = rawReset(port, '{"seed":7}', 4);
      await until(() => arrived.length === 1);
      const gone = rawReset(port, '{"seed":9}');
      await until(() => arrived.length === 2);
      const closed = new Promise((resolve) => arrived[1]!.socket.once('close', resolve));
      gone.socket.destroy();
      await closed;
      const thirdBody = '{"seed":11}';
      const third = rawReset(port, thirdBody);
      // The whole of the third has come (the parser marks it complete whether or not anything reads its body).
      await until(() => arrived.length === 3 && arrived[2]!.complete);
      // The first still holds the queue (its body is not all there): the third waits behind it, its body unread.
      expect([first.status(), third.status(), replaceAll.mock.calls.length, arrived[2]!.readableLength]).toEqual([0, 0, 0, thirdBody.length]);
      first.rest();
      await until(() => third.status() !== 0);
      expect([first.status(), third.status()]).toEqual([200, 200]);
      // The first and the third ran, in turn; the reset whose client left never did.
      expect(replaceAll.mock.calls.length).toBe(2);
      expect(store.snapshot()).toEqual(small(11));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('a method an admin route does not take', () => {
  it.each([
    ['get', '/_emulator/reset', 'POST'],
    ['patch', '/_emulator/snapshots/nightly', 'DELETE, GET, HEAD, PUT'],
    ['get', '/_emulator/snapshots/nightly/restore', 'POST'],
    ['put', '/_emulator/requests?tenant=x', 'DELETE, GET, HEAD'],
    ['post', '/_emulator/health', 'GET, HEAD'],
    ['delete', '/_emulator/export', 'GET, HEAD'],
  ] as const)('%s %s is a 405 in Graph envelope naming what it takes (%s)', async (method, url, allow) => {
    const { app, store } = appWith();
    const res = await request(app)[method](url);
    expectGraphError(res, 405, 'MethodNotAllowed', `The HTTP method '${method.toUpperCase()}' is not allowed for the requested resource.`);
    expect(res.headers['allow']).toBe(allow);
    expect(store.count('accessPackages')).toBe(0);
  });

  it.each([
    ['/_emulator/faults', 'DELETE, GET, HEAD, POST, PUT'],
    ['/_emulator/requests', 'DELETE, GET, HEAD'],
    ['/_emulator/snapshots/nightly/restore', 'POST'],
    ['/_emulator/health', 'GET, HEAD'],
  ])('OPTIONS %s without Origin is the same 405 as the Graph routes answer, not a text/plain list (%s)', async (url, allow) => {
    const { app } = appWith();
    const res = await request(app).options(url);
    expectGraphError(res, 405, 'MethodNotAllowed', "The HTTP method 'OPTIONS' is not allowed for the requested resource.");
    expect(res.headers['allow']).toBe(allow);
    const graph = await request(app)
      .options(PACKAGES)
      .set('Authorization', `Bearer ${await adminToken(app)}`);
    expect(graph.status).toBe(405);
    expect(graph.body.error.code).toBe(res.body.error.code);
  });

  it.each(['/_emulator/', '/_emulator/ui', '/_emulator/ui/faults', '/_EMULATOR/UI/requests'])(
    'OPTIONS %s, a path of the admin page, without Origin is its 405 with Allow: GET, HEAD, not a 404',
    async (url) => {
      const res = await request(appWith().app).options(url);
      expectGraphError(res, 405, 'MethodNotAllowed', 'The admin page answers GET and HEAD only, not OPTIONS.');
      expect(res.headers['allow']).toBe('GET, HEAD');
    },
  );

  it('leaves a path no route serves a 404', async () => {
    const { app } = appWith();
    const res = await request(app).patch('/_emulator/snapshots/nightly/undo');
    expectGraphError(res, 404, 'ResourceNotFound', "The resource '/_emulator/snapshots/nightly/undo' was not found.");
    expect(res.headers['allow']).toBeUndefined();
  });
});
