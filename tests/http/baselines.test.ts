// Named baselines over HTTP: PUT/GET/DELETE /_emulator/snapshots/{name} and POST …/restore, on both stores;
// each tenant's are its own (?tenant=); the file store keeps them across a restart, and drops them with their tenant.
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { Baselines, MAX_BASELINES } from '../../server/store/baselines.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { FileStore } from '../../server/store/fileStore.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { Store } from '../../server/store/store.js';
import { emptyDataset } from '../../server/store/records.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { countsOf, recordCounts } from '../support/counts.js';
import { tempDir } from '../support/emulatorProcess.js';
import { AUTH, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';
const small = (seed: number) => generateDataset({ seed, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE });
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const as = (tid: string) => bearer(unsignedJwt({ tid, scp: READ_WRITE }));
const names = async (app: ReturnType<typeof createApp>, tid: string) =>
  (await request(app).get(`${PACKAGES}?$top=999`).set(as(tid))).body.value.map((p: { displayName: string }) => p.displayName);

const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function fileStore(file: string): Promise<FileStore> {
  const store = await FileStore.open(file);
  opened.push(store);
  return store;
}

/**
 * A file store in a folder of its own, holding small(seed); `reopen()` closes it and opens its file again, as a
 * restart does, running `whileStopped` in between.
 */
async function restartable(prefix: string, seed: number) {
  const file = path.join(await tempDir(prefix), 'db.json');
  const first = await fileStore(file);
  await first.replaceAll(small(seed));
  const reopen = async (whileStopped?: () => Promise<void>) => {
    await first.close();
    opened.splice(opened.indexOf(first), 1);
    await whileStopped?.();
    return fileStore(file);
  };
  return { file, first, reopen };
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

  it('reads one baseline by its name among several, and answers 404 for a name not saved', async () => {
    const app = createApp({ store: await makeStore() });
    const first = (await request(app).put('/_emulator/snapshots/first').expect(201)).body;
    await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'One more' }).expect(201);
    const second = (await request(app).put('/_emulator/snapshots/second').expect(201)).body;
    const read = await request(app).get('/_emulator/snapshots/second');
    expect(read.status).toBe(200);
    expectGraphHeaders(read);
    expect(read.body).toEqual(second);
    expect([first.records.accessPackages, read.body.records.accessPackages]).toEqual([25, 26]);
    expectGraphError(
      await request(app).get('/_emulator/snapshots/third'),
      404,
      'ResourceNotFound',
      "There is no baseline named 'third'. GET /_emulator/snapshots lists them.",
    );
  });

  it('keeps names case-sensitive, and a 404 for a name differing only in case names the saved one', async () => {
    const app = createApp({ store: await makeStore() });
    await request(app).put('/_emulator/snapshots/Clean').expect(201);
    const hint = "There is no baseline named 'clean'. Baseline names are case-sensitive: there is one named 'Clean'. GET /_emulator/snapshots lists them.";
    expectGraphError(await request(app).post('/_emulator/snapshots/clean/restore'), 404, 'ResourceNotFound', hint);
    expectGraphError(await request(app).get('/_emulator/snapshots/clean'), 404, 'ResourceNotFound', hint);
    expectGraphError(await request(app).delete('/_emulator/snapshots/clean'), 404, 'ResourceNotFound', hint);
    expect((await request(app).put('/_emulator/snapshots/clean').expect(201)).body.name).toBe('clean');
    expect((await request(app).get('/_emulator/snapshots')).body.value.map((b: { name: string }) => b.name)).toEqual(['Clean', 'clean']);
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

  it('refuses a save whose body holds anything, saving nothing; takes no body and {}', async () => {
    const app = createApp({ store: await makeStore() });
    const message =
      'PUT /_emulator/snapshots/{name} takes no body: the baseline is taken from the current data. Load records with POST /_emulator/reset first, then save the baseline.';
    for (const body of [{ accessPackages: [{ id: '00000000-0000-4000-8000-000000000001', displayName: 'Not saved' }] }, [], { fixtures: 'small' }]) {
      expectGraphError(
        await request(app)
          .put('/_emulator/snapshots/withData')
          .send(body as object),
        400,
        'BadRequest',
        message,
      );
    }
    expectGraphError(await request(app).put('/_emulator/snapshots/withData').set('Content-Type', 'application/json').send('null'), 400, 'BadRequest', message);
    expect((await request(app).get('/_emulator/snapshots')).body).toEqual({ value: [] });
    expect((await request(app).put('/_emulator/snapshots/empty').send({})).status).toBe(201);
    expect((await request(app).put('/_emulator/snapshots/none')).status).toBe(201);
    expect((await request(app).get('/_emulator/snapshots')).body.value.map((b: { name: string }) => b.name)).toEqual(['empty', 'none']);
  });

  it("keeps each tenant's baselines apart: one name in two tenants, each restored into its own tenant only", async () => {
    const store = await makeStore();
    const app = createApp({ store, fixtures: { fixtures: 'small', seed: 1, referenceDate: REFERENCE_DATE } });
    await request(app).post(PACKAGES).set(as('one')).send({ displayName: 'Saved in one' }).expect(201);
    await request(app).post(PACKAGES).set(as('two')).send({ displayName: 'Saved in two' }).expect(201);
    const inOne = await request(app).put('/_emulator/snapshots/start?tenant=One');
    expect(inOne.status).toBe(201);
    expectGraphHeaders(inOne);
    expect(inOne.body.records.accessPackages).toBe(26);
    await request(app).put('/_emulator/snapshots/start?tenant=two').expect(201);
    expect((await request(app).get('/_emulator/snapshots')).body).toEqual({ value: [] });
    expect((await request(app).get('/_emulator/snapshots?tenant=one')).body).toEqual({ value: [inOne.body] });

    await request(app).post(PACKAGES).set(as('one')).send({ displayName: 'Later in one' }).expect(201);
    await request(app).post(PACKAGES).set(as('two')).send({ displayName: 'Later in two' }).expect(201);
    const restored = await request(app).post('/_emulator/snapshots/start/restore?tenant=one');
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual({ name: 'start', records: inOne.body.records });
    expect(await names(app, 'one')).toContain('Saved in one');
    expect(await names(app, 'one')).not.toContain('Later in one');
    expect(await names(app, 'two')).toEqual(expect.arrayContaining(['Saved in two', 'Later in two']));
    expect(store.count('accessPackages')).toBe(25);

    expectGraphError(await request(app).put('/_emulator/snapshots/start?tenant=nobody'), 404, 'ResourceNotFound', /^There is no tenant 'nobody'/);
    expectGraphError(await request(app).post('/_emulator/snapshots/start/restore'), 404, 'ResourceNotFound', /^There is no baseline named 'start'/);
    // A tenant's 404 points at that tenant's list, not at the default tenant's.
    await request(app).post('/_emulator/snapshots/start/restore?tenant=ONE').expect(200);
    for (const [method, path] of [
      ['post', '/_emulator/snapshots/other/restore?tenant=ONE'],
      ['get', '/_emulator/snapshots/other?tenant=ONE'],
      ['delete', '/_emulator/snapshots/other?tenant=ONE'],
    ] as const) {
      expectGraphError(
        await request(app)[method](path),
        404,
        'ResourceNotFound',
        "There is no baseline named 'other' in tenant 'one'. GET /_emulator/snapshots?tenant=one lists them.",
      );
    }
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
    const { first, reopen } = await restartable('baselines-', 2);
    const app = createApp({ store: first });
    const saved = (await request(app).put('/_emulator/snapshots/fixtures').expect(201)).body;
    await request(app).post('/_emulator/reset').send({ fixtures: 'empty' }).expect(200);

    const second = await reopen();
    const again = createApp({ store: second });
    expect((await request(again).get('/_emulator/snapshots')).body).toEqual({ value: [saved] });
    expect(second.count('accessPackages')).toBe(0);
    expect((await request(again).post('/_emulator/snapshots/fixtures/restore')).body).toEqual({ name: 'fixtures', records: countsOf(small(2)) });
    expect(second.snapshot()).toEqual(small(2));
  });
});

describe('a baseline deleted on the file store', () => {
  it('stays deleted after a restart, and the others stay', async () => {
    const { first, reopen } = await restartable('baselines-deleted-', 4);
    const app = createApp({ store: first });
    for (const name of ['a', 'b', 'c']) await request(app).put(`/_emulator/snapshots/${name}`).expect(201);
    await request(app).delete('/_emulator/snapshots/b').expect(204);

    const second = await reopen();
    expect(second.listBaselines().map((b) => b.name)).toEqual(['a', 'c']);
    expect((await second.restoreBaseline('c'))?.records).toEqual(countsOf(small(4)));
  });
});

describe("a tenant's baselines on the file store", () => {
  it('are listed under their tenant in the list file, survive a restart, and go with the tenant when it is dropped', async () => {
    const { file, first, reopen } = await restartable('baselines-tenants-', 2);
    const app = createApp({ store: first, fixtures: { fixtures: 'small', seed: 2, referenceDate: REFERENCE_DATE } });
    await request(app).post(PACKAGES).set(as('kept')).send({ displayName: 'Kept' }).expect(201);
    await request(app).post(PACKAGES).set(as('dropped')).send({ displayName: 'Dropped' }).expect(201);
    for (const tenant of ['kept', 'dropped']) await request(app).put(`/_emulator/snapshots/mine?tenant=${tenant}`).expect(201);
    await request(app).put('/_emulator/snapshots/mine').expect(201);
    const list = async () => JSON.parse(await readFile(`${file}.datasets/baselines.json`, 'utf8')).baselines as { name: string; tenant?: string }[];
    expect((await list()).map((b) => [b.name, b.tenant])).toEqual([
      ['mine', 'kept'],
      ['mine', 'dropped'],
      ['mine', undefined],
    ]);
    await request(app).delete('/_emulator/tenants/dropped').expect(204);
    expect((await list()).map((b) => b.tenant)).toEqual(['kept', undefined]);
    await request(app).post('/_emulator/reset?tenant=kept').send({ fixtures: 'empty' }).expect(200);

    const second = await reopen();
    const again = createApp({ store: second, fixtures: { fixtures: 'small', seed: 2, referenceDate: REFERENCE_DATE } });
    expect((await request(again).get('/_emulator/snapshots?tenant=kept')).body.value.map((b: { name: string }) => b.name)).toEqual(['mine']);
    await request(again).post('/_emulator/snapshots/mine/restore?tenant=kept').expect(200);
    expect(await names(again, 'kept')).toContain('Kept');
    // A tenant of the same id added again starts without the baselines of the one dropped.
    await request(again).post('/_emulator/reset?tenant=dropped').expect(200);
    expect((await request(again).get('/_emulator/snapshots?tenant=dropped')).body).toEqual({ value: [] });
  });
});

describe("a dropped tenant's baselines left in the list (a crash before it was rewritten)", () => {
  it('leaves them out at the next start, and rewrites the list without them', async () => {
    const { file, first, reopen } = await restartable('baselines-ghost-', 3);
    await first.saveBaseline('mine');
    const listFile = `${file}.datasets/baselines.json`;
    let own: unknown;
    const second = await reopen(async () => {
      [own] = JSON.parse(await readFile(listFile, 'utf8')).baselines;
      await writeFile(listFile, JSON.stringify({ baselines: [own, { ...(own as object), tenant: 'ghost' }] }));
    });
    expect(second.listBaselines().map((b) => b.name)).toEqual(['mine']);
    expect(JSON.parse(await readFile(listFile, 'utf8'))).toEqual({ baselines: [own] });
  });
});

describe('Baselines limits', () => {
  it('refuses a baseline larger than its size limit, naming both sizes', async () => {
    const baselines = new Baselines(undefined, [], { count: 20, bytes: 1000 });
    await expect(baselines.save('big', small(1))).rejects.toMatchObject({
      kind: 'quota',
      message: expect.stringMatching(
        /^The data is [\d,]+ bytes \(0\.\d{3} MiB\) in the data file format; a baseline holds at most 1,000 bytes \(0\.001 MiB\)\.$/,
      ),
    });
    // Exactly the limit is taken; a byte more is not, and the message tells the two sizes apart.
    const bytes = Buffer.byteLength(serializeDataset(small(1)));
    await expect(new Baselines(undefined, [], { count: 20, bytes }).save('exact', small(1))).resolves.toMatchObject({ replaced: false });
    const shown = (n: number) => `${n.toLocaleString('en-US')} bytes (${(n / 1024 / 1024).toFixed(3)} MiB)`;
    await expect(new Baselines(undefined, [], { count: 20, bytes: bytes - 1 }).save('over', small(1))).rejects.toMatchObject({
      kind: 'quota',
      message: `The data is ${shown(bytes)} in the data file format; a baseline holds at most ${shown(bytes - 1)}.`,
    });
    await expect(baselines.save('tiny', emptyDataset())).resolves.toEqual({
      baseline: { name: 'tiny', createdDateTime: expect.stringMatching(ISO), records: recordCounts({}) },
      replaced: false,
    });
  });

  it('names sizes of a MiB or more with one decimal', async () => {
    const large = generateDataset({ seed: 5, accessPackages: 3000, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE });
    const bytes = Buffer.byteLength(serializeDataset(large));
    expect(bytes).toBeGreaterThan(1024 * 1024);
    await expect(new Baselines(undefined, [], { count: 20, bytes: 1024 * 1024 }).save('large', large)).rejects.toMatchObject({
      kind: 'quota',
      message: `The data is ${bytes.toLocaleString('en-US')} bytes (${(bytes / 1024 / 1024).toFixed(1)} MiB) in the data file format; a baseline holds at most 1,048,576 bytes (1.0 MiB).`,
    });
  });
});
