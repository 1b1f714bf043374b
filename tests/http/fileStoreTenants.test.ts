// Every tenant in the one data file and journal: what is acknowledged in any tenant survives a reopen, whether it
// is still in the journal or already in the snapshot, and a file from before there were tenants is the default one.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '../../server/store/fileStore.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { type AccessPackage, datasetOf } from '../../server/store/types.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { tempDir } from '../support/emulatorProcess.js';
import { accessPackage } from '../support/accessPackages.js';

const pkg = (id: string, displayName = `Package ${id}`): AccessPackage => accessPackage({ id, displayName });
const ids = (store: { list(c: 'accessPackages'): readonly AccessPackage[] } | undefined) => store?.list('accessPackages').map((r) => r.id);
const line = (entry: object) => `${JSON.stringify(entry)}\n`;

let file: string;
beforeEach(async () => {
  file = path.join(await tempDir('filestore-tenants-'), 'db.json');
});

const open: FileStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close().catch(() => undefined)));
});
async function openStore(options?: Parameters<typeof FileStore.open>[1]): Promise<FileStore> {
  const store = await FileStore.open(file, options);
  open.push(store);
  return store;
}

/**
 * A crash: no compaction and no snapshot, the files left as the acknowledged writes left them; only the lock and
 * the journal's handle are let go, as the kernel does for a process that dies.
 */
async function crash(store: FileStore): Promise<void> {
  open.splice(open.indexOf(store), 1);
  const internals = store as unknown as { lock: { release(): Promise<void> }; journal: { close(): Promise<void> } };
  await internals.journal.close();
  await internals.lock.release();
}

describe('FileStore with tenants', () => {
  it('journals each write under its tenant, a new tenant in one entry, and replays them all after a crash', async () => {
    const store = await openStore();
    await store.create('accessPackages', pkg('d1'));
    const one = (await store.tenants.open('worker-1', () => datasetOf({ accessPackages: [pkg('s1'), pkg('s2')] }), 10)).store;
    await one.create('accessPackages', pkg('w1'));
    await one.update('accessPackages', pkg('s1', 'Changed'));
    await one.remove('accessPackages', 's2');
    const two = (await store.tenants.open('worker-2', () => datasetOf({}), 10)).store;
    await two.create('accessPackages', pkg('w2'));
    await store.tenants.open('dropped', () => datasetOf({ accessPackages: [pkg('x')] }), 10);
    await store.tenants.drop('dropped');

    const journal = (await readFile(`${file}.journal`, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(journal.map((e) => [e.op, e.t])).toEqual([
      ['put', undefined],
      ['tenant', 'worker-1'],
      ['put', 'worker-1'],
      ['put', 'worker-1'],
      ['del', 'worker-1'],
      ['tenant', 'worker-2'],
      ['put', 'worker-2'],
      ['tenant', 'dropped'],
      ['drop', 'dropped'],
    ]);
    expect(journal[1].d.accessPackages).toEqual([pkg('s1'), pkg('s2')]);
    await crash(store);

    const reopened = await openStore();
    expect(reopened.tenants.ids()).toEqual([DEFAULT_TENANT_ID, 'worker-1', 'worker-2']);
    expect(ids(reopened)).toEqual(['d1']);
    expect(ids(reopened.tenants.get('worker-1'))).toEqual(['s1', 'w1']);
    expect(reopened.tenants.get('worker-1')?.get('accessPackages', 's1')?.displayName).toBe('Changed');
    expect(ids(reopened.tenants.get('worker-2'))).toEqual(['w2']);
    // The reopen compacted the journal into a snapshot that holds every tenant, the empty ones too.
    const snapshot = JSON.parse(await readFile(file, 'utf8'));
    expect(snapshot.accessPackages).toEqual([pkg('d1')]);
    expect(Object.keys(snapshot.tenants)).toEqual(['worker-1', 'worker-2']);
    expect(snapshot.tenants['worker-2'].accessPackages).toEqual([pkg('w2')]);
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
    expect(ids(reopened.tenants.get('one'))).toEqual(Array.from({ length: 8 }, (_, i) => `p${i}`));
    expect(ids(reopened.tenants.get('empty'))).toEqual(['reset']);
    expect(ids(reopened)).toEqual(['d1']);
  });

  it('loads a data file from before there were tenants as the default tenant, and an old journal with it', async () => {
    await writeFile(file, serializeDataset(datasetOf({ accessPackages: [pkg('old')] })));
    await writeFile(`${file}.journal`, line({ op: 'put', c: 'accessPackages', r: pkg('journalled') }));
    const store = await openStore();
    expect(store.fresh).toBe(false);
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
    expect(ids(store)).toEqual(['old', 'journalled']);
    expect(await readFile(file, 'utf8')).toBe(serializeDataset(datasetOf({ accessPackages: [pkg('old'), pkg('journalled')] })));
  });

  it.each([
    ['a tenant id with a space', { 'worker 1': {} }, 'tenants.worker 1 is not a tenant id'],
    ['an upper-case tenant id', { Worker: {} }, 'tenants.Worker is not a tenant id'],
    ["the default tenant's id", { [DEFAULT_TENANT_ID]: {} }, `tenants.${DEFAULT_TENANT_ID} is not a tenant id`],
    ['a tenant that is not an object', { one: [] }, 'tenants.one must be an object of collections'],
    ['a record without an id', { one: { accessPackages: [{}] } }, 'tenants.one.accessPackages[0] must be an object with a string id'],
  ])('refuses a data file with %s under "tenants", names it, and leaves it untouched', async (_name, tenants, problem) => {
    const text = JSON.stringify({ accessPackages: [], tenants });
    await writeFile(file, text);
    const error = await FileStore.open(file).catch((err: unknown) => err);
    expect(error).toMatchObject({ kind: 'corrupt', message: expect.stringContaining(problem) });
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});
