// Named baselines over HTTP: PUT/GET/DELETE /_emulator/snapshots/{name} and POST …/restore, on both stores;
// the file store keeps them across a restart.
import { afterEach, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { Baselines, MAX_BASELINES } from '../../server/store/baselines.js';
import { FileStore } from '../../server/store/fileStore.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { type Store, emptyDataset } from '../../server/store/types.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { countsOf, recordCounts } from '../support/counts.js';
import { tempDir } from '../support/emulatorProcess.js';
import { AUTH, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';

const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';
const small = (seed: number) => generateDataset({ seed, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE });
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function fileStore(file: string): Promise<FileStore> {
  const store = await FileStore.open(file);
  opened.push(store);
  return store;
}

const stores: [string, () => Promise<Store>][] = [
  ['memory', async () => new MemoryStore(small(1))],
  [
    'file',
    async () => {
      const store = await fileStore(path.join(await tempDir('baselines-'), 'db.json'));
      await store.replaceAll(small(1));
      return store;
    },
  ],
];

describe.each(stores)('baselines on the %s store', (_kind, makeStore) => {
  it('saves, lists, restores and deletes a baseline, each answer in its shape with Graph headers', async () => {
    const store = await makeStore();
    const app = createApp({ store });
    const saved = await request(app).put('/_emulator/snapshots/clean');
    expect(saved.status).toBe(201);
    expectGraphHeaders(saved);
    expect(saved.headers['content-type']).toMatch(/^application\/json/);
    expect(saved.body).toEqual({ name: 'clean', createdDateTime: expect.stringMatching(ISO), records: countsOf(small(1)) });
    const clean = (await request(app).get('/_emulator/export')).text;

    const created = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Made by a test' });
    expect(created.status).toBe(201);
    const listed = await request(app).get('/_emulator/snapshots');
    expect(listed.status).toBe(200);
    expectGraphHeaders(listed);
    expect(listed.body).toEqual({ value: [saved.body] });
    expect((await request(app).get('/_emulator/snapshots/clean')).body).toEqual(saved.body);

    const restored = await request(app).post('/_emulator/snapshots/clean/restore');
    expect(restored.status).toBe(200);
    expectGraphHeaders(restored);
    expect(restored.body).toEqual({ name: 'clean', records: countsOf(small(1)) });
    expect((await request(app).get('/_emulator/export')).text).toBe(clean);
    expectGraphError(await request(app).get(`${PACKAGES}/${created.body.id}`).set(AUTH), 404, 'ResourceNotFound');

    const deleted = await request(app).delete('/_emulator/snapshots/clean');
    expect(deleted.status).toBe(204);
    expectGraphHeaders(deleted);
    expect((await request(app).get('/_emulator/snapshots')).body).toEqual({ value: [] });
    expectGraphError(
      await request(app).post('/_emulator/snapshots/clean/restore'),
      404,
      'ResourceNotFound',
      "There is no baseline named 'clean'. GET /_emulator/snapshots lists them.",
    );
    expectGraphError(await request(app).delete('/_emulator/snapshots/clean'), 404, 'ResourceNotFound');
  });

  it('replaces a baseline saved again under its name (200), keeping its place in the list', async () => {
    const store = await makeStore();
    const app = createApp({ store });
    await request(app).put('/_emulator/snapshots/suite.v1_a').expect(201);
    await request(app).put('/_emulator/snapshots/b').expect(201);
    await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'One more' }).expect(201);
    const again = await request(app).put('/_emulator/snapshots/suite.v1_a');
    expect(again.status).toBe(200);
    expect(again.body.records.accessPackages).toBe(26);
    expect(
      (await request(app).get('/_emulator/snapshots')).body.value.map((b: { name: string; records: { accessPackages: number } }) => [
        b.name,
        b.records.accessPackages,
      ]),
    ).toEqual([
      ['suite.v1_a', 26],
      ['b', 25],
    ]);
  });

  it.each([
    ['..', 'a dot-dot'],
    ['has space', 'a space'],
    ['-leading', 'a leading dash'],
    ['x'.repeat(65), '65 characters'],
  ])("refuses the name '%s' (%s) with a 400 naming the rule", async (name) => {
    const app = createApp({ store: await makeStore() });
    expectGraphError(
      await request(app).put(`/_emulator/snapshots/${encodeURIComponent(name)}`),
      400,
      'BadRequest',
      `Invalid baseline name '${name}': 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or a digit.`,
    );
    expect((await request(app).get('/_emulator/snapshots')).body).toEqual({ value: [] });
  });

  it(`keeps at most ${MAX_BASELINES}: one more is a 507 in Graph's envelope, replacing one still works`, async () => {
    const app = createApp({ store: await makeStore() });
    for (let i = 0; i < MAX_BASELINES; i += 1) await request(app).put(`/_emulator/snapshots/b${i}`).expect(201);
    expectGraphError(
      await request(app).put('/_emulator/snapshots/one-more'),
      507,
      'quotaLimitReached',
      `At most ${MAX_BASELINES} baselines are kept: delete one (DELETE /_emulator/snapshots/{name}) before saving 'one-more'.`,
    );
    await request(app).put('/_emulator/snapshots/b0').expect(200);
    expect((await request(app).get('/_emulator/snapshots')).body.value).toHaveLength(MAX_BASELINES);
  });
});

describe('baselines on the file store', () => {
  it('survive a restart, and restore from the file', async () => {
    const file = path.join(await tempDir('baselines-'), 'db.json');
    const first = await fileStore(file);
    await first.replaceAll(small(2));
    const app = createApp({ store: first });
    const saved = (await request(app).put('/_emulator/snapshots/fixtures').expect(201)).body;
    await request(app).post('/_emulator/reset').send({ fixtures: 'empty' }).expect(200);
    await first.close();
    opened.length = 0;

    const second = await fileStore(file);
    const again = createApp({ store: second });
    expect((await request(again).get('/_emulator/snapshots')).body).toEqual({ value: [saved] });
    expect(second.count('accessPackages')).toBe(0);
    expect((await request(again).post('/_emulator/snapshots/fixtures/restore')).body).toEqual({ name: 'fixtures', records: countsOf(small(2)) });
    expect(second.snapshot()).toEqual(small(2));
  });
});

describe('Baselines limits', () => {
  it('refuses a baseline larger than its size limit, naming both sizes', async () => {
    const baselines = new Baselines(undefined, [], { count: 20, bytes: 1000 });
    await expect(baselines.save('big', small(1))).rejects.toMatchObject({
      kind: 'quota',
      message: expect.stringMatching(/^The data is 0\.\d{3} MB in the data file format; a baseline holds at most 0\.001 MB\.$/),
    });
    await expect(baselines.save('tiny', emptyDataset())).resolves.toEqual({
      baseline: { name: 'tiny', createdDateTime: expect.stringMatching(ISO), records: recordCounts({}) },
      replaced: false,
    });
  });
});
