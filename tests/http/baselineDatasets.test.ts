// The stored datasets of baselines on the file store (baselineIndex.ts): a dataset stays while a baseline names it,
// and goes once none does (a baseline deleted, saved again under its name, refused by the disk, or dropped with its
// tenant), so that db.json.datasets/ does not keep the records of every baseline ever saved. A tenant dropped while
// the disk refuses the list's rewrite still takes its baselines with it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { lstat, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '../../server/store/fileStore.js';
import { datasetOf } from '../../server/store/records.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { accessPackage } from '../support/accessPackages.js';
import { tempDir } from '../support/emulatorProcess.js';
import { FailingFs } from '../support/failingFs.js';

const small = (seed: number) => generateDataset({ seed, accessPackages: 5, accessPackageCatalogs: 2, referenceDate: '2026-11-01T00:00:00.000Z' });

const opened: FileStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
});

async function storeIn(prefix: string, fs = new FailingFs()) {
  const file = path.join(await tempDir(prefix), 'db.json');
  const store = await FileStore.open(file, { fs });
  opened.push(store);
  return { file, store, fs, datasets: `${file}.datasets` };
}

/** The stored datasets in the folder (none when the folder is gone). */
const stored = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).filter((n) => /^[0-9a-f]{32}\.json$/.test(n)).sort();
/** The baselines the list names: each one's name, dataset file and tenant. */
const listed = async (dir: string) =>
  (JSON.parse(await readFile(path.join(dir, 'baselines.json'), 'utf8')).baselines as { name: string; dataset: string; tenant?: string }[]).map((b) => ({
    name: b.name,
    file: `${b.dataset}.json`,
    tenant: b.tenant,
  }));
/** The one baseline listed. */
const onlyListed = async (dir: string) => {
  const list = await listed(dir);
  expect(list).toHaveLength(1);
  return list[0]!;
};

/** Records that no reset names: the reset to small(1), then one package more. */
async function recordsOfNoReset(store: FileStore, displayName: string) {
  await store.replaceAll(small(1));
  await store.create('accessPackages', accessPackage({ displayName }));
}

describe("a baseline's stored dataset", () => {
  it('is removed once the baseline is deleted, at once', async () => {
    const { store, datasets } = await storeIn('baseline-deleted-');
    await recordsOfNoReset(store, 'Only in the baseline');
    await store.saveBaseline('mine');
    const { file: dataset } = await onlyListed(datasets);
    expect(await stored(datasets)).toContain(dataset);
    expect(await store.removeBaseline('mine')).toBe(true);
    expect(await stored(datasets)).not.toContain(dataset);
    expect(await listed(datasets)).toEqual([]);
  });

  it('of a baseline saved again under its name goes; the new one stays, past the close', async () => {
    const { store, datasets } = await storeIn('baseline-replaced-');
    await recordsOfNoReset(store, 'First version');
    await store.saveBaseline('mine');
    const { file: first } = await onlyListed(datasets);
    await store.create('accessPackages', accessPackage({ displayName: 'Second version' }));
    expect((await store.saveBaseline('mine')).replaced).toBe(true);
    const { file: second } = await onlyListed(datasets);
    expect(second).not.toBe(first);
    await store.close();
    expect(await stored(datasets)).toEqual([second]);
  });

  it('of a save the disk refuses is not kept: after the close, no dataset is left', async () => {
    const { store, fs, datasets } = await storeIn('baseline-refused-');
    await recordsOfNoReset(store, 'Refused');
    fs.failNext('rename', { match: /baselines\.json/ });
    await expect(store.saveBaseline('mine')).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining("Saving the baseline 'mine' failed") });
    expect(store.listBaselines()).toEqual([]);
    await store.close();
    expect(await stored(datasets)).toEqual([]);
  });
});

describe('a change to the list the disk refuses', () => {
  it('a delete: refused naming the baseline, which stays listed and restores', async () => {
    const { store, fs } = await storeIn('baseline-delete-refused-');
    await store.replaceAll(small(1));
    await store.saveBaseline('mine');
    fs.failNext('rename', { match: /baselines\.json/ });
    await expect(store.removeBaseline('mine')).rejects.toMatchObject({
      kind: 'io',
      message: expect.stringMatching(/^Deleting the baseline 'mine' failed: ENOSPC/),
    });
    expect(store.listBaselines().map((b) => b.name)).toEqual(['mine']);
    await store.replaceAll(small(2));
    expect((await store.restoreBaseline('mine'))?.name).toBe('mine');
  });
});

describe("a dropped tenant's baselines", () => {
  it('take their stored datasets with them', async () => {
    const { store, datasets } = await storeIn('baseline-tenant-dropped-');
    const one = (await store.tenants.open('one', () => datasetOf({ accessPackages: [accessPackage({ displayName: 'Seeded' })] }), 10)).store;
    await one.create('accessPackages', accessPackage({ displayName: 'Only in the baseline' }));
    await one.saveBaseline('mine');
    const { file: dataset, tenant } = await onlyListed(datasets);
    expect(tenant).toBe('one');
    expect(await store.tenants.drop('one')).toBe(true);
    expect(await listed(datasets)).toEqual([]);
    expect(await stored(datasets)).not.toContain(dataset);
  });

  it('are gone from a tenant added again under its id, though the disk refused the rewrite of the list', async () => {
    const { store, fs } = await storeIn('baseline-tenant-refused-');
    const one = (await store.tenants.open('one', () => datasetOf({}), 10)).store;
    await one.saveBaseline('mine');
    fs.failNext('rename', { match: /baselines\.json/ });
    expect(await store.tenants.drop('one')).toBe(true);
    expect(fs.injected).toEqual([expect.stringMatching(/^rename .*baselines\.json/)]);
    // The drop is durable all the same; the cause says why the list still names them until a write succeeds.
    expect(store.writeProblem).toMatch(/^Deleting the baselines of tenant 'one' failed: ENOSPC/);
    const again = (await store.tenants.open('one', () => datasetOf({}), 10)).store;
    expect(again.listBaselines()).toEqual([]);
    expect(await again.restoreBaseline('mine')).toBeUndefined();
  });

  it('of a tenant that has none left leave the list as it is: it is not written again', async () => {
    const { store, datasets } = await storeIn('baseline-tenant-none-');
    const one = (await store.tenants.open('one', () => datasetOf({}), 10)).store;
    await one.saveBaseline('mine');
    expect(await one.removeBaseline('mine')).toBe(true);
    const index = path.join(datasets, 'baselines.json');
    const { ino, mtimeMs } = await lstat(index);
    expect(await store.tenants.drop('one')).toBe(true);
    expect(await lstat(index)).toMatchObject({ ino, mtimeMs });
  });
});
