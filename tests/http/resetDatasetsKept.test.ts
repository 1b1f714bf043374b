// Which stored datasets a compaction leaves in db.json.datasets/ besides the baselines': each tenant's last reset's
// (so that the next reset to the same records, or a tenant added with them, writes nothing but a journal entry),
// and those a journal entry not yet covered by a snapshot names. The others go.
import { afterEach, describe, expect, it } from '@jest/globals';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '../../server/store/fileStore.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { tempDir } from '../support/emulatorProcess.js';
import { FailingFs } from '../support/failingFs.js';

const small = (seed: number) => generateDataset({ seed, accessPackages: 3, accessPackageCatalogs: 1, referenceDate: '2026-11-01T00:00:00.000Z' });

const opened: FileStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
});

async function storeIn(prefix: string, fs?: FailingFs) {
  const file = path.join(await tempDir(prefix), 'db.json');
  const store = await FileStore.open(file, fs === undefined ? {} : { fs });
  opened.push(store);
  return { file, store, datasets: `${file}.datasets` };
}

const compact = (store: FileStore) => (store as unknown as { compactions: { run(): Promise<void> } }).compactions.run();
const storedIn = async (dir: string) => (await readdir(dir)).filter((name) => /^[0-9a-f]{32}\.json$/.test(name));

/** The name of the dataset the store writes for `records`, learnt from a store of its own. */
async function nameOf(records: ReturnType<typeof small>): Promise<string> {
  const { store, datasets } = await storeIn('dataset-name-');
  await store.replaceAll(records);
  const [name] = await storedIn(datasets);
  return name!;
}

describe("a tenant's last reset's dataset", () => {
  it('stays through a compaction, so a reset to the same records names it again; the one reset before it goes', async () => {
    const [first, second] = [await nameOf(small(1)), await nameOf(small(2))];
    const { store, datasets } = await storeIn('reset-kept-');
    await store.replaceAll(small(1));
    await compact(store);
    // The snapshot covers the reset's entry: only the tenant's last reset keeps the file.
    expect(await storedIn(datasets)).toEqual([first]);
    const { ino } = await stat(path.join(datasets, first));
    await store.replaceAll(small(1));
    expect((await stat(path.join(datasets, first))).ino).toBe(ino);

    await store.replaceAll(small(2));
    await compact(store);
    expect(await storedIn(datasets)).toEqual([second]);
  });

  it("goes when its tenant is dropped, once a snapshot covers the entry that named it; the default tenant's stays", async () => {
    const [first, second] = [await nameOf(small(1)), await nameOf(small(2))];
    const { store, datasets } = await storeIn('reset-dropped-');
    await store.replaceAll(small(1));
    await store.tenants.open('one', () => small(2), 10);
    await compact(store);
    expect((await storedIn(datasets)).sort()).toEqual([first, second].sort());
    await store.tenants.drop('one');
    expect(await storedIn(datasets)).toEqual([first]);
  });
});

describe('a dataset only a journal entry names', () => {
  it('is kept while the compaction cannot retire the journal, and goes at the next compaction that covers the entry', async () => {
    const [first, second] = [await nameOf(small(1)), await nameOf(small(2))];
    const fs = new FailingFs();
    const { store, datasets } = await storeIn('reset-rotation-', fs);
    await store.replaceAll(small(1));
    // The tenant's last reset is the second: only the journal's first entry names the first.
    await store.replaceAll(small(2));
    fs.failNext('rename', { match: /^db\.json\.journal$/ });
    await expect(compact(store)).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/^Retiring db\.json\.journal failed: ENOSPC/) });
    expect((await storedIn(datasets)).sort()).toEqual([first, second].sort());
    await compact(store);
    expect(await storedIn(datasets)).toEqual([second]);
  });
});
