// The file store over a disk that fails on demand (tests/support/failingFs.ts): a write the disk refuses answers
// 503 in Graph's envelope with Retry-After and changes nothing, in memory or after a restart; health says why
// while it lasts; writes resume by themselves once the disk takes them. For the journal's append and sync, its
// rotation, the snapshot, a reset's stored dataset and journal entry, the baseline list, and another tenant's
// first request, reset and writes.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FileAccessError } from '../../server/errors.js';
import { RETRY_MS } from '../../server/store/compactionSchedule.js';
import { FileStore, type FileStoreOptions } from '../../server/store/fileStore.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { tempDir } from '../support/emulatorProcess.js';
import { FailingFs } from '../support/failingFs.js';
import { kill } from '../support/killedStore.js';
import { AUTH, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { readPage } from '../support/markdown.js';
import { READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';
const FIXTURES = { fixtures: 'small', seed: 3, referenceDate: REFERENCE_DATE };

let dir: string;
let file: string;
let fs: FailingFs;
const opened: FileStore[] = [];

beforeEach(async () => {
  dir = await tempDir('failed-writes-');
  file = path.join(dir, 'db.json');
  fs = new FailingFs();
});
afterEach(async () => {
  jest.useRealTimers();
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
});

/** A failed compaction's retry (RETRY_MS) on jest's clock, moved on by the test; I/O, dates and callbacks stay real. */
const retryOnTestClock = () => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'Date', 'hrtime', 'performance'] });

async function open(options: FileStoreOptions = {}) {
  const store = await FileStore.open(file, { fs, ...options });
  opened.push(store);
  return { store, app: createApp({ store, fixtures: FIXTURES }) };
}

/** What a kill leaves (tests/support/killedStore.ts), and the store no longer closed after the test. */
async function crash(store: FileStore): Promise<void> {
  await kill(store);
  opened.splice(opened.indexOf(store), 1);
}

async function reopenedNames(store: FileStore): Promise<string[]> {
  await crash(store);
  fs.heal();
  const { store: reopened } = await open();
  return reopened.list('accessPackages').map((p) => p.displayName ?? '');
}

type App = ReturnType<typeof createApp>;
const create = (app: App, displayName: string) => request(app).post(PACKAGES).set(AUTH).send({ displayName });
const names = async (app: App) => (await request(app).get(PACKAGES).set(AUTH)).body.value.map((p: { displayName: string }) => p.displayName);
const health = async (app: App) => (await request(app).get('/_emulator/health')).body;

/** The 503 of a refused write: Graph's envelope, its headers, Retry-After, and a cause without the folder's path. */
function expectRefused(res: request.Response, cause: RegExp): void {
  expectGraphError(res, 503, 'serviceNotAvailable', /^The emulator could not write its data, and nothing was changed\. /);
  expect(res.body.error.message).toMatch(cause);
  expect(res.body.error.message).not.toContain(dir);
  expect(res.headers['retry-after']).toBe('1');
}

describe('a write the journal cannot make durable', () => {
  it.each([
    ['a torn append', 'append' as const],
    ['a failed sync', 'fdatasync' as const],
  ])('%s: 503, nothing visible, health degraded, then writes resume and a restart keeps only what was acknowledged', async (_name, op) => {
    const { store, app } = await open();
    expect((await create(app, 'Acknowledged')).status).toBe(201);
    fs.failNext(op);
    const refused = await Promise.all([create(app, 'Refused 1'), create(app, 'Refused 2'), create(app, 'Refused 3')]);
    for (const res of refused) expectRefused(res, /Writing db\.json\.journal failed: ENOSPC/);
    expect(await names(app)).toEqual(['Acknowledged']);
    expect(await readFile(`${file}.journal`, 'utf8')).not.toContain('Refused');
    // Still a 200, which docs/docker.md tells a reader of the container's HEALTHCHECK.
    expect((await request(app).get('/_emulator/health')).status).toBe(200);
    expect(readPage('docs/docker.md')).toContain('While the disk refuses writes, health answers `200` with `"status":"degraded"`');
    const degraded = await health(app);
    expect(degraded).toMatchObject({ status: 'degraded', cause: expect.stringMatching(/^Writing db\.json\.journal failed: ENOSPC/) });
    expect(JSON.stringify(degraded)).not.toContain(dir);

    fs.heal();
    const resumed = await create(app, 'After');
    expect(resumed.status).toBe(201);
    expectGraphHeaders(resumed);
    expect(await health(app)).toMatchObject({ status: 'ok' });
    expect(await health(app)).not.toHaveProperty('cause');
    expect(await reopenedNames(store)).toEqual(['Acknowledged', 'After']);
  });

  it('refuses an update and a delete the same way, leaving the record as it was', async () => {
    const { store, app } = await open();
    const { id } = (await create(app, 'Kept')).body;
    fs.failAlways('fdatasync');
    expectRefused(await request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send({ displayName: 'Renamed' }), /ENOSPC/);
    expectRefused(await request(app).delete(`${PACKAGES}/${id}`).set(AUTH), /ENOSPC/);
    const res = await request(app).get(`${PACKAGES}/${id}`).set(AUTH);
    expect(res.body).toMatchObject({ id, displayName: 'Kept' });
    expectGraphHeaders(res);
    expect(await reopenedNames(store)).toEqual(['Kept']);
  });

  it('when the file cannot even be cut back, holds every write until a later one repairs it', async () => {
    const { store, app } = await open();
    expect((await create(app, 'Acknowledged')).status).toBe(201);
    fs.failNext('fdatasync').failAlways('truncate', { code: 'EIO' });
    expectRefused(await create(app, 'Refused'), /ENOSPC/);
    // The refused line is still in the file: a write now could not follow it.
    expectRefused(await create(app, 'Also refused'), /Repairing db\.json\.journal failed: EIO/);
    expect(await health(app)).toMatchObject({ status: 'degraded', cause: expect.stringMatching(/^Repairing db\.json\.journal failed: EIO/) });
    fs.heal();
    expect((await create(app, 'After')).status).toBe(201);
    expect(await readFile(`${file}.journal`, 'utf8')).not.toContain('Refused');
    expect(await reopenedNames(store)).toEqual(['Acknowledged', 'After']);
  });
});

describe('a compaction the disk refuses', () => {
  it('a rotation that cannot make the fresh journal durable: writes wait for the repair, nothing acknowledged is lost', async () => {
    const { store, app } = await open({ compactMinEntries: 3 });
    // The folder's sync is what makes the retired and the fresh journal's names durable.
    fs.failAlways('sync', { code: 'EIO', match: new RegExp(`^${path.basename(dir)}$`) });
    const acknowledged: string[] = [];
    const refused: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const res = await create(app, `Package ${i}`);
      if (res.status === 201) acknowledged.push(`Package ${i}`);
      else {
        expectRefused(res, /Repairing db\.json\.journal failed: EIO/);
        refused.push(`Package ${i}`);
      }
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeGreaterThan(0);
    expect(await names(app)).toEqual(acknowledged);
    fs.heal();
    expect((await create(app, 'After')).status).toBe(201);
    expect(await reopenedNames(store)).toEqual([...acknowledged, 'After']);
  });

  it.each([
    ['whose rename fails', 'rename' as const, () => "Retiring db.json.journal failed: ENOSPC: injected failure, rename 'db.json.journal'"],
    [
      'whose fresh file cannot be opened',
      'open' as const,
      () => 'Starting a fresh db.json.journal failed: Cannot open the journal db.json.journal: no space left on the device (ENOSPC, at db.json.journal).',
    ],
    // Then the journal waits for a repair, made by the files' look or the compaction's retry.
    ['whose folder cannot be synced', 'sync' as const, () => `Starting a fresh db.json.journal failed: ENOSPC: injected failure, sync '${path.basename(dir)}'`],
  ])(
    'a rotation %s: health names the journal without its folder, and is ok once the compaction tried again succeeds, without a write',
    async (_case, op, cause) => {
      const { store, app } = await open({ compactMinEntries: 3 });
      expect((await create(app, 'Package 0')).status).toBe(201);
      const name = op === 'sync' ? path.basename(dir) : 'db.json.journal';
      retryOnTestClock();
      fs.failNext(op, { match: new RegExp(`^${name.replace(/[.-]/g, '\\$&')}$`) });
      expect((await create(app, 'Package 1')).status).toBe(201);
      const compactions = (store as unknown as { compactions: { settled(): Promise<void> } }).compactions;
      await compactions.settled();
      expect(fs.injected).toEqual([`${op} ${name}`]);
      const degraded = await health(app);
      expect(degraded).toMatchObject({ status: 'degraded', cause: cause() });
      expect(JSON.stringify(degraded)).not.toContain(dir);
      // Tried again a second after the failure: the journal retired into a snapshot, and the failure over.
      const snapshotted = async () => (await readFile(file, 'utf8').catch(() => '')).includes('Package 1');
      expect(await snapshotted()).toBe(false);
      jest.advanceTimersByTime(RETRY_MS);
      await compactions.settled();
      expect(await snapshotted()).toBe(true);
      const ok = await health(app);
      expect(ok).toMatchObject({ status: 'ok', store: 'db.json' });
      expect(ok).not.toHaveProperty('cause');
      expect(await reopenedNames(store)).toEqual(['Package 0', 'Package 1']);
    },
  );

  it('a snapshot that cannot be written: writes go on, health says why until the next write, the compaction is tried again', async () => {
    const { store, app } = await open({ compactMinEntries: 3 });
    // The first create writes the General catalog too: the third entry starts a compaction.
    expect((await create(app, 'Package 0')).status).toBe(201);
    // The snapshot's temporary file, beside the data file and named after it.
    fs.failAlways('writeFile', { match: /^\.db\.json\./ });
    retryOnTestClock();
    expect((await create(app, 'Package 1')).status).toBe(201);
    const compactions = (store as unknown as { compactions: { settled(): Promise<void> } }).compactions;
    await compactions.settled();
    expect(await health(app)).toMatchObject({ status: 'degraded', cause: expect.stringMatching(/^Writing db\.json failed: ENOSPC/) });
    expect(fs.injected.filter((call) => call.startsWith('writeFile'))).toHaveLength(1);
    expect((await create(app, 'During')).status).toBe(201);
    expect(await health(app)).toMatchObject({ status: 'ok' });
    fs.heal();
    // Tried again a second after the failure, without any write.
    const snapshotted = async () => JSON.parse(await readFile(file, 'utf8').catch(() => '{"accessPackages":[]}')).accessPackages.length;
    expect(await snapshotted()).toBeLessThan(3);
    jest.advanceTimersByTime(RETRY_MS);
    await compactions.settled();
    expect(await snapshotted()).toBe(3);
    expect(await reopenedNames(store)).toEqual(['Package 0', 'Package 1', 'During']);
  });
});

describe('a snapshot the disk refuses at a stop or a start', () => {
  it("makes the stop reject, saying so, and the next start has every write, a reset's data included", async () => {
    const { store, app } = await open();
    expect((await request(app).post('/_emulator/reset').send({ fixtures: 'empty' })).status).toBe(200);
    expect((await create(app, 'After the reset')).status).toBe(201);
    fs.failAlways('writeFile', { match: /^\.db\.json\./ });
    await expect(store.close()).rejects.toThrow(
      /^The last snapshot of db\.json could not be written \(Writing db\.json failed: ENOSPC[^)]*\)\. Nothing is lost: db\.json\.journal\.1 and db\.json\.journal hold every acknowledged write, replayed at the next start\.$/,
    );
    opened.splice(opened.indexOf(store), 1);
    // The files it names are where the writes are: the retired one holds them, the current one is empty.
    expect((await readFile(`${file}.journal.1`, 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
    expect(await readFile(`${file}.journal`, 'utf8')).toBe('');
    fs.heal();
    const { store: reopened } = await open();
    expect(reopened.list('accessPackages').map((p) => p.displayName)).toEqual(['After the reset']);
    expect(reopened.list('accessPackageCatalogs').map((c) => c.displayName)).toEqual(['General']);
  });

  it('after a rotation stopped half-way (its fresh file refused, the old one not renamed back): the stop names the retired file that holds the writes', async () => {
    const { store, app } = await open({ compactMinEntries: 3 });
    expect((await create(app, 'Package 0')).status).toBe(201);
    fs.failAlways('open', { match: /^db\.json\.journal$/ }).failNext('rename', { match: /^db\.json\.journal\.1$/ });
    expect((await create(app, 'Package 1')).status).toBe(201);
    await (store as unknown as { compactions: { settled(): Promise<void> } }).compactions.settled();
    expect(await readdir(dir)).not.toContain('db.json.journal');
    await expect(store.close()).rejects.toThrow(
      /^The last snapshot of db\.json could not be written \(.*\)\. Nothing is lost: db\.json\.journal\.1 and db\.json\.journal hold every acknowledged write, replayed at the next start\.$/,
    );
    opened.splice(opened.indexOf(store), 1);
    expect(await readFile(`${file}.journal.1`, 'utf8')).toContain('Package 1');
    fs.heal();
    const { store: reopened } = await open();
    expect(reopened.list('accessPackages').map((p) => p.displayName)).toEqual(['Package 0', 'Package 1']);
  });

  it('stops a start that must snapshot its journal with exit 3, naming the file; the start after it has every write', async () => {
    const { store, app } = await open();
    expect((await create(app, 'Acknowledged')).status).toBe(201);
    await crash(store);
    fs.failAlways('writeFile', { match: /^\.db\.json\./ });
    const refused = await FileStore.open(file, { fs }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(FileAccessError);
    expect(refused).toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(
        new RegExp(
          `^Cannot open the data file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the snapshot of its journal could not be written \\(Writing db\\.json failed: ENOSPC.*\\)\\. No data was lost: the journal may have been set aside as db\\.json\\.journal\\.1, which the next start replays\\.$`,
        ),
      ),
    });
    fs.heal();
    const { store: reopened } = await open();
    expect(reopened.list('accessPackages').map((p) => p.displayName)).toContain('Acknowledged');
  });
});

describe('a reset the disk refuses', () => {
  it.each([
    ['its stored dataset cannot be written', () => fs.failNext('mkdir'), /Writing a stored dataset in db\.json\.datasets failed: ENOSPC/],
    ['its journal entry cannot be synced', () => fs.failNext('fdatasync'), /Writing db\.json\.journal failed: ENOSPC/],
  ])('when %s: 503, the previous data in place, before and after a restart', async (_name, fail, cause) => {
    const { store, app } = await open();
    expect((await create(app, 'Before the reset')).status).toBe(201);
    const before = (await request(app).get('/_emulator/export')).text;
    fail();
    expectRefused(await request(app).post('/_emulator/reset'), cause);
    expect((await request(app).get('/_emulator/export')).text).toBe(before);
    expect(await reopenedNames(store)).toEqual(['Before the reset']);
  });

  it('a reset that works after one that failed puts the fixtures in place for good', async () => {
    const { store, app } = await open();
    expect((await create(app, 'Before the reset')).status).toBe(201);
    fs.failNext('fdatasync');
    expect((await request(app).post('/_emulator/reset')).status).toBe(503);
    expect((await request(app).post('/_emulator/reset')).status).toBe(200);
    const fixtures = generateDataset({ seed: 3, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE });
    expect(await reopenedNames(store)).toEqual(fixtures.accessPackages.map((p) => p.displayName));
  });
});

describe('a baseline the disk refuses', () => {
  it.each([
    ['its list cannot be written', () => fs.failNext('rename', { match: /baselines/ })],
    // Past the rename: the refused list was in place, and is put back.
    ['its folder cannot be synced after the list was renamed', () => fs.failNext('sync', { match: /^db\.json\.datasets$/ })],
  ])('when %s: 503, the baselines as they were, before and after a restart', async (_name, fail) => {
    const { store, app } = await open();
    expect((await create(app, 'Saved')).status).toBe(201);
    expect((await request(app).put('/_emulator/snapshots/first')).status).toBe(201);
    fail();
    expectRefused(await request(app).put('/_emulator/snapshots/second'), /Saving the baseline 'second' failed: ENOSPC/);
    const list = await request(app).get('/_emulator/snapshots');
    expect(list.body.value.map((b: { name: string }) => b.name)).toEqual(['first']);
    await crash(store);
    fs.heal();
    const { app: reopened } = await open();
    expect((await request(reopened).get('/_emulator/snapshots')).body.value.map((b: { name: string }) => b.name)).toEqual(['first']);
  });
});

describe('a tenant the disk refuses', () => {
  const as = (tid: string) => bearer(unsignedJwt({ tid, scp: READ_WRITE }));
  const tenantNames = async (app: App, tid: string) =>
    (await request(app).get(PACKAGES).set(as(tid))).body.value.map((p: { displayName: string }) => p.displayName);

  it("a new tenant's first request: 503, no tenant added; the next one adds it, and a restart keeps it", async () => {
    const { store, app } = await open();
    fs.failNext('fdatasync');
    expectRefused(await request(app).post(PACKAGES).set(as('worker-1')).send({ displayName: 'Refused' }), /Writing db\.json\.journal failed: ENOSPC/);
    expect((await request(app).get('/_emulator/tenants')).body.value.map((t: { id: string }) => t.id)).toHaveLength(1);
    const created = await request(app).post(PACKAGES).set(as('worker-1')).send({ displayName: 'Created' });
    expect(created.status).toBe(201);
    expectGraphHeaders(created);
    await crash(store);
    fs.heal();
    const { app: reopened } = await open();
    expect(await tenantNames(reopened, 'worker-1')).toContain('Created');
    expect(await tenantNames(reopened, 'worker-1')).not.toContain('Refused');
  });

  it("a tenant's reset and its writes: 503, that tenant's data as it was, the others untouched", async () => {
    const { store, app } = await open();
    expect((await request(app).post(PACKAGES).set(as('worker-2')).send({ displayName: 'Before' })).status).toBe(201);
    const before = (await request(app).get('/_emulator/export?tenant=worker-2')).text;
    const others = (await request(app).get('/_emulator/export')).text;
    fs.failNext('fdatasync');
    expectRefused(await request(app).post('/_emulator/reset?tenant=worker-2').send({ fixtures: 'empty' }), /ENOSPC/);
    fs.failNext('fdatasync');
    expectRefused(await request(app).post(PACKAGES).set(as('worker-2')).send({ displayName: 'Refused' }), /ENOSPC/);
    expect((await request(app).get('/_emulator/export?tenant=worker-2')).text).toBe(before);
    await crash(store);
    fs.heal();
    const { app: reopened } = await open();
    expect((await request(reopened).get('/_emulator/export?tenant=worker-2')).text).toBe(before);
    expect((await request(reopened).get('/_emulator/export')).text).toBe(others);
  });
});
