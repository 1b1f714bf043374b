// Every tenant in the one data file, journal and stored datasets: what is acknowledged in any tenant survives a
// reopen, whether it is still in the journal or already in the snapshot; a tenant is added with one reset entry
// naming its records stored once; a write the disk refuses changes no tenant; a file from before there were
// tenants is the default one.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DATA_FORMAT, serializeDataset } from '../../server/store/dataFileFormat.js';
import { FileStore, type FileStoreOptions } from '../../server/store/fileStore.js';
import { type AccessPackage, datasetOf } from '../../server/store/records.js';
import type { Store } from '../../server/store/store.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { accessPackage } from '../support/accessPackages.js';
import { tempDir } from '../support/emulatorProcess.js';
import { FailingFs } from '../support/failingFs.js';
import { kill } from '../support/killedStore.js';

const pkg = (displayName: string): AccessPackage => accessPackage({ displayName });
const names = (store: Store | undefined) => store?.list('accessPackages').map((r) => r.displayName);
const line = (entry: object) => `${JSON.stringify(entry)}\n`;
const journalOf = async (file: string) =>
  (await readFile(`${file}.journal`, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

let file: string;
let fs: FailingFs;
beforeEach(async () => {
  file = path.join(await tempDir('filestore-tenants-'), 'db.json');
  fs = new FailingFs();
});

const open: FileStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close().catch(() => undefined)));
});
async function openStore(options?: FileStoreOptions): Promise<FileStore> {
  const store = await FileStore.open(file, { fs, ...options });
  open.push(store);
  return store;
}

/**
 * A crash: no compaction and no snapshot, the files left as the acknowledged writes left them; only the lock and
 * the journal's handle are let go, as the kernel does for a process that dies. Its background compactions stop
 * too: a retry after a refused snapshot would otherwise run seconds later, in another test's time.
 */
async function crash(store: FileStore): Promise<void> {
  open.splice(open.indexOf(store), 1);
  await kill(store);
}

describe('FileStore with tenants', () => {
  it('journals each write under its tenant, a new tenant as one reset, and replays them all after a crash', async () => {
    const store = await openStore();
    await store.create('accessPackages', pkg('d1'));
    const [s1, s2] = [pkg('s1'), pkg('s2')];
    const one = (await store.tenants.open('worker-1', () => datasetOf({ accessPackages: [s1, s2] }), 10)).store;
    await one.create('accessPackages', pkg('w1'));
    await one.update('accessPackages', { ...s1, displayName: 'Changed' });
    await one.remove('accessPackages', s2.id);
    const two = (await store.tenants.open('worker-2', () => datasetOf({}), 10)).store;
    await two.create('accessPackages', pkg('w2'));
    await store.tenants.open('dropped', () => datasetOf({ accessPackages: [pkg('x')] }), 10);
    await store.tenants.drop('dropped');

    const journal = await journalOf(file);
    expect(journal.map((e) => [e['op'], e['t']])).toEqual([
      ['put', undefined],
      ['reset', 'worker-1'],
      ['put', 'worker-1'],
      ['put', 'worker-1'],
      ['del', 'worker-1'],
      ['reset', 'worker-2'],
      ['put', 'worker-2'],
      ['reset', 'dropped'],
      ['drop', 'dropped'],
    ]);
    // The records are not in the journal: the entry names their stored dataset and counts them.
    expect(journal[1]).toEqual({ op: 'reset', t: 'worker-1', ds: expect.stringMatching(/^[0-9a-f]{32}$/), n: 2 });
    const stored = JSON.parse(await readFile(`${file}.datasets/${journal[1]!['ds']}.json`, 'utf8'));
    expect(stored.accessPackages).toEqual([s1, s2]);
    await crash(store);

    const reopened = await openStore();
    expect(reopened.tenants.ids()).toEqual([DEFAULT_TENANT_ID, 'worker-1', 'worker-2']);
    expect(names(reopened)).toEqual(['d1']);
    expect(names(reopened.tenants.get('worker-1'))).toEqual(['Changed', 'w1']);
    expect(names(reopened.tenants.get('worker-2'))).toEqual(['w2']);
    // Found in any case, as a token's tid is.
    expect(reopened.tenants.get('Worker-2')).toBe(reopened.tenants.get('worker-2'));
    // The reopen compacted the journal into a snapshot that holds every tenant, after its format marker.
    const snapshot = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(snapshot).slice(0, 2)).toEqual(['dataFormat', 'accessPackages']);
    expect(snapshot.dataFormat).toBe(DATA_FORMAT);
    expect(snapshot.accessPackages.map((p: AccessPackage) => p.displayName)).toEqual(['d1']);
    expect(Object.keys(snapshot.tenants)).toEqual(['worker-1', 'worker-2']);
    expect(snapshot.tenants['worker-2'].accessPackages.map((p: AccessPackage) => p.displayName)).toEqual(['w2']);
  });

  it('stores the records tenants start from once: every later tenant added with them is one short entry', async () => {
    const store = await openStore();
    const fixtures = datasetOf({ accessPackages: [pkg('f1'), pkg('f2'), pkg('f3')] });
    await store.replaceAll(fixtures);
    for (const id of ['a', 'b', 'c']) await store.tenants.open(id, () => fixtures, 10);
    const journal = await journalOf(file);
    expect(journal.map((e) => e['t'])).toEqual([undefined, 'a', 'b', 'c']);
    expect(new Set(journal.map((e) => e['ds'])).size).toBe(1);
    expect(await readdir(`${file}.datasets`)).toEqual([`${journal[0]!['ds']}.json`]);
    await crash(store);
    const reopened = await openStore();
    for (const id of ['a', 'b', 'c']) expect(names(reopened.tenants.get(id))).toEqual(['f1', 'f2', 'f3']);
  });

  it('resets one tenant with one entry that names it, its dates moved, and leaves the others as they are', async () => {
    const store = await openStore();
    await store.create('accessPackages', pkg('default'));
    const one = (await store.tenants.open('one', () => datasetOf({}), 10)).store;
    const reset = datasetOf({ accessPackages: [pkg('reset')] });
    await one.replaceAll(reset, 86_400_000);
    expect((await journalOf(file)).at(-1)).toEqual({ op: 'reset', t: 'one', ds: expect.any(String), shift: 86_400_000, n: 1 });
    expect(one.list('accessPackages')[0]!.createdDateTime).toBe('2024-01-02T00:00:00.0000000Z');
    await crash(store);
    const reopened = await openStore();
    expect(names(reopened)).toEqual(['default']);
    expect(reopened.tenants.get('one')?.list('accessPackages')[0]?.createdDateTime).toBe('2024-01-02T00:00:00.0000000Z');
  });

  it('keeps every tenant through a compaction and a reset of one tenant, and a clean close', async () => {
    const store = await openStore({ compactMinEntries: 3 });
    const one = (await store.tenants.open('one', () => datasetOf({}), 10)).store;
    for (let i = 0; i < 8; i += 1) await one.create('accessPackages', pkg(`p${i}`));
    const empty = (await store.tenants.open('empty', () => datasetOf({}), 10)).store;
    await store.create('accessPackages', pkg('d1'));
    await empty.replaceAll(datasetOf({ accessPackages: [pkg('reset')] }));
    await store.close();
    open.length = 0;

    const reopened = await openStore();
    expect(reopened.tenants.ids()).toEqual([DEFAULT_TENANT_ID, 'one', 'empty']);
    expect(names(reopened.tenants.get('one'))).toEqual(Array.from({ length: 8 }, (_, i) => `p${i}`));
    expect(names(reopened.tenants.get('empty'))).toEqual(['reset']);
    expect(names(reopened)).toEqual(['d1']);
  });

  it('compacts once the journal holds as many entries as the records left after a drop, not the snapshot before it', async () => {
    const store = await openStore({ compactMinEntries: 5 });
    const settled = () => (store as unknown as { compactions: { settled(): Promise<void> } }).compactions.settled();
    const snapshot = async () => JSON.parse(await readFile(file, 'utf8')) as { accessPackages: AccessPackage[]; tenants?: Record<string, unknown> };
    const big = Array.from({ length: 2000 }, (_, i) => pkg(`big-${i}`));
    await store.tenants.open('big', () => datasetOf({ accessPackages: big }), 10);
    for (let i = 0; i < 5; i += 1) await store.create('accessPackages', pkg(`d${i}`));
    await settled();
    // Five entries, short of the snapshot's 2,000 records: no compaction yet.
    expect(Object.keys((await snapshot()).tenants ?? {})).toEqual(['big']);
    expect(await journalOf(file)).toHaveLength(5);
    await store.tenants.drop('big');
    await settled();
    // The drop's is the sixth entry, as many as the five records left need: the snapshot holds them alone.
    const data = await snapshot();
    expect(data.tenants).toBeUndefined();
    expect(data.accessPackages.map((r) => r.displayName)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    expect(await readFile(`${file}.journal`, 'utf8')).toBe('');
  });

  it('loads a data file from before there were tenants as the default tenant, and an old journal with it', async () => {
    const [old, journalled] = [pkg('old'), pkg('journalled')];
    await writeFile(file, JSON.stringify({ accessPackages: [old] }));
    await writeFile(`${file}.journal`, line({ op: 'put', c: 'accessPackages', r: journalled }));
    const store = await openStore();
    expect(store.fresh).toBe(false);
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
    expect(names(store)).toEqual(['old', 'journalled']);
    expect(await readFile(file, 'utf8')).toBe(serializeDataset(datasetOf({ accessPackages: [old, journalled] })));
  });

  it.each([
    ['a tenant id with a space', { 'worker 1': {} }, 'tenants.worker 1 is not a tenant id'],
    ['an upper-case tenant id', { Worker: {} }, 'tenants.Worker is not a tenant id'],
    ["the default tenant's id", { [DEFAULT_TENANT_ID]: {} }, `tenants.${DEFAULT_TENANT_ID} is not a tenant id`],
    ['a tenant that is not an object', { one: [] }, 'tenants.one must be an object of collections'],
    ['a record without an id', { one: { accessPackages: [{}] } }, 'tenants.one.accessPackages[0] must be an object with a string id'],
  ])('refuses a data file with %s under "tenants", names it, and leaves it untouched', async (_name, tenants, problem) => {
    const text = JSON.stringify({ dataFormat: DATA_FORMAT, accessPackages: [], tenants });
    await writeFile(file, text);
    const error = await FileStore.open(file).catch((err: unknown) => err);
    expect(error).toMatchObject({ kind: 'corrupt', message: expect.stringContaining(problem) });
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('FileStore with tenants over a disk that fails', () => {
  it("refuses a tenant's write with StoreError('io'): no tenant changes, in memory or after a restart", async () => {
    const store = await openStore();
    const one = (await store.tenants.open('one', () => datasetOf({}), 10)).store;
    await one.create('accessPackages', pkg('kept'));
    fs.failNext('fdatasync');
    await expect(one.create('accessPackages', pkg('refused'))).rejects.toMatchObject({ kind: 'io' });
    expect(names(one)).toEqual(['kept']);
    fs.heal();
    await crash(store);
    expect(names((await openStore()).tenants.get('one'))).toEqual(['kept']);
  });

  it('adds no tenant whose entry the disk refuses, and no tenant is dropped whose drop it refuses', async () => {
    const store = await openStore();
    fs.failNext('fdatasync');
    await expect(store.tenants.open('new', () => datasetOf({ accessPackages: [pkg('n')] }), 10)).rejects.toMatchObject({ kind: 'io' });
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
    const kept = (await store.tenants.open('kept', () => datasetOf({ accessPackages: [pkg('k')] }), 10)).store;
    fs.failNext('fdatasync');
    await expect(store.tenants.drop('kept')).rejects.toMatchObject({ kind: 'io' });
    expect(store.tenants.get('kept')).toBe(kept);
    // Still writable: the refused drop let go of it.
    await kept.create('accessPackages', pkg('after'));
    await crash(store);
    const reopened = await openStore();
    expect(reopened.tenants.ids()).toEqual([DEFAULT_TENANT_ID, 'kept']);
    expect(names(reopened.tenants.get('kept'))).toEqual(['k', 'after']);
  });

  it('keeps every tenant through a compaction whose snapshot the disk refuses, before and after a restart', async () => {
    const store = await openStore({ compactMinEntries: 4 });
    const one = (await store.tenants.open('one', () => datasetOf({ accessPackages: [pkg('seeded')] }), 10)).store;
    // The snapshot's temporary file, beside the data file and named after it.
    fs.failAlways('writeFile', { match: /^\.db\.json\./ });
    for (let i = 0; i < 4; i += 1) await one.create('accessPackages', pkg(`p${i}`));
    await store.create('accessPackages', pkg('d1'));
    await (store as unknown as { compactions: { settled(): Promise<void> } }).compactions.settled();
    expect(fs.injected.some((call) => call.startsWith('writeFile .db.json.'))).toBe(true);
    expect(names(one)).toEqual(['seeded', 'p0', 'p1', 'p2', 'p3']);
    await crash(store);
    fs.heal();
    const reopened = await openStore();
    expect(names(reopened)).toEqual(['d1']);
    expect(names(reopened.tenants.get('one'))).toEqual(['seeded', 'p0', 'p1', 'p2', 'p3']);
  });

  it('journals a drop asked while a reset of the tenant is being made durable after the reset: it stays dropped after a restart', async () => {
    const store = await openStore();
    const one = (await store.tenants.open('one', () => datasetOf({}), 10)).store;
    fs.syncDelayMs = 30;
    const resetting = one.replaceAll(datasetOf({ accessPackages: [pkg('reset')] }));
    const dropping = store.tenants.drop('one');
    await resetting;
    expect(await dropping).toBe(true);
    expect((await journalOf(file)).map((e) => e['op'])).toEqual(['reset', 'reset', 'drop']);
    await crash(store);
    expect((await openStore()).tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
  });

  it('refuses the writes to a tenant asked while its drop is being made durable; none reaches the journal after the drop', async () => {
    const store = await openStore();
    const one = (await store.tenants.open('one', () => datasetOf({}), 10)).store;
    fs.syncDelayMs = 30;
    const dropping = store.tenants.drop('one');
    await new Promise((resolve) => setImmediate(resolve));
    await expect(one.create('accessPackages', pkg('late'))).rejects.toMatchObject({ kind: 'gone' });
    expect(await dropping).toBe(true);
    expect((await journalOf(file)).map((e) => e['op'])).toEqual(['reset', 'drop']);
  });
});
