// The files of db.json.datasets/ removed or changed while the store runs: the baselines' index and each stored
// dataset are written again from memory at the files' next look, a version another program made kept aside and
// told, so that a restart (after a crash) still lists and restores every baseline and replays every reset. A dataset
// whose records are in no baseline in memory cannot be written again: the snapshot is written so that no journal
// line needs it, and the baselines that named it are told. A version found changed, of a dataset or of the data file
// itself, is taken once a second look finds it the same, so that a file still being written is not taken half-written.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatasetFiles } from '../../server/store/datasetFiles.js';
import { FileStore, type FileStoreOptions } from '../../server/store/fileStore.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import type { Dataset } from '../../server/store/records.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { tempDir } from '../support/emulatorProcess.js';
import { FailingFs } from '../support/failingFs.js';
import { kill } from '../support/killedStore.js';

const small = (seed: number) => generateDataset({ seed, accessPackages: 5, accessPackageCatalogs: 2, referenceDate: '2026-11-01T00:00:00.000Z' });

const opened: FileStore[] = [];
afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
});

/** A store on a data file of its own, and what it told of its files. */
async function storeIn(prefix: string, file?: string, more: FileStoreOptions = {}) {
  const at = file ?? path.join(await tempDir(prefix), 'db.json');
  const told: unknown[][] = [];
  const options: FileStoreOptions = {
    ...more,
    onChangedElsewhere: (...args) => told.push(['changed', ...args]),
    onDatasetLost: (...args) => told.push(['lost', ...args]),
  };
  const store = await FileStore.open(at, options);
  opened.push(store);
  return { file: at, store, told, datasets: `${at}.datasets` };
}

/** The files' look, now (filesWatch.ts). */
const look = (store: FileStore) => (store as unknown as { watch: { check(): Promise<void> } }).watch.check();

/** A crash, then a new store on the same files. */
async function afterCrash(store: FileStore, file: string) {
  await kill(store);
  opened.splice(opened.indexOf(store), 1);
  return storeIn('', file);
}

/**
 * A store started on a data file whose baseline 'clean' (small(1)) was saved by the store before it, so that its records
 * are not in memory, and reset to small(2).
 */
async function baselineReadBack(prefix: string) {
  const first = await storeIn(prefix);
  await first.store.replaceAll(small(1));
  await first.store.saveBaseline('clean');
  await first.store.close();
  opened.splice(0);
  const again = await storeIn('', first.file);
  await again.store.replaceAll(small(2));
  return again;
}

const storedIn = async (dir: string) => (await readdir(dir)).filter((name) => /^[0-9a-f]{32}\.json$/.test(name));

describe("the baselines' index removed while the store runs", () => {
  it('is written again from memory: a restart after a crash lists and restores the baselines', async () => {
    const { file, store, datasets } = await storeIn('index-removed-');
    await store.replaceAll(small(1));
    await store.saveBaseline('clean');
    const list = await readFile(path.join(datasets, 'baselines.json'), 'utf8');
    await rm(path.join(datasets, 'baselines.json'));
    await look(store);
    expect(await readFile(path.join(datasets, 'baselines.json'), 'utf8')).toBe(list);
    const { store: next } = await afterCrash(store, file);
    expect(next.listBaselines().map((b) => b.name)).toEqual(['clean']);
    await next.replaceAll(small(2));
    expect((await next.restoreBaseline('clean'))?.name).toBe('clean');
    expect(next.snapshot()).toEqual(small(1));
  });
});

describe("the baselines' index removed while the store runs, its rewrite refused by the disk", () => {
  it('names the file in the cause until the next look writes it', async () => {
    const fs = new FailingFs();
    const { store, datasets } = await storeIn('index-rewrite-refused-', undefined, { fs });
    await savedBaseline(store, datasets);
    const index = path.join(datasets, 'baselines.json');
    const written = await readFile(index, 'utf8');
    await rm(index);
    fs.failNext('rename', { match: /baselines\.json/ });
    await look(store);
    expect([store.writeProblem, await readdir(datasets)]).toEqual([
      expect.stringMatching(/^Writing baselines\.json failed: ENOSPC/),
      expect.not.arrayContaining(['baselines.json']),
    ]);
    await look(store);
    expect([store.writeProblem, await readFile(index, 'utf8')]).toEqual([undefined, written]);
  });
});

describe('a stored dataset removed while the store runs', () => {
  it("of a baseline saved by this store is written again from the baseline's records: a restart restores it", async () => {
    const { file, store, datasets, told } = await storeIn('dataset-removed-');
    await store.replaceAll(small(1));
    await store.saveBaseline('clean');
    await store.replaceAll(small(2));
    const texts = new Map(await Promise.all((await storedIn(datasets)).map(async (n) => [n, await readFile(path.join(datasets, n), 'utf8')] as const)));
    // The baseline's (the reset to small(1) is the same records) and the reset's to small(2).
    expect(texts.size).toBe(2);
    for (const n of texts.keys()) await rm(path.join(datasets, n));
    await look(store);
    // The baseline's dataset is written again byte for byte; nothing kept aside, nothing told of a removal.
    const baselineId = JSON.parse(await readFile(path.join(datasets, 'baselines.json'), 'utf8')).baselines[0].dataset as string;
    expect(await readFile(path.join(datasets, `${baselineId}.json`), 'utf8')).toBe(texts.get(`${baselineId}.json`));
    expect((await readdir(datasets)).filter((n) => n.includes('.changed-'))).toEqual([]);
    const { store: next } = await afterCrash(store, file);
    // The reset to small(2), whose dataset no baseline held, is in the snapshot written meanwhile.
    expect(next.snapshot()).toEqual(small(2));
    expect((await next.restoreBaseline('clean'))?.name).toBe('clean');
    expect(next.snapshot()).toEqual(small(1));
    const resetId = [...texts.keys()].find((n) => n !== `${baselineId}.json`)!;
    expect(told).toEqual([['lost', path.join(datasets, resetId), [], undefined]]);
  });

  it("named only by a journal's reset: the snapshot is written so that no restart needs it, and the next reset to the same records writes it again", async () => {
    const { file, store, datasets, told } = await storeIn('dataset-journal-');
    const records: Dataset = small(1);
    await store.replaceAll(records);
    const [name] = await storedIn(datasets);
    await rm(path.join(datasets, name!));
    await look(store);
    expect(told).toEqual([['lost', path.join(datasets, name!), [], undefined]]);
    await store.replaceAll(small(2));
    await store.replaceAll(records);
    expect(await storedIn(datasets)).toContain(name);
    const { store: next } = await afterCrash(store, file);
    expect(next.snapshot()).toEqual(small(1));
  });

  it('is told once and the snapshot written once: the looks after it leave the data file and its writes as they are', async () => {
    const { file, store, datasets, told } = await storeIn('dataset-once-');
    await store.replaceAll(small(1));
    const [name] = await storedIn(datasets);
    await rm(path.join(datasets, name!));
    await look(store);
    await store.replaceAll(small(2));
    const journal = await readFile(`${file}.journal`, 'utf8');
    expect(journal).not.toBe('');
    await look(store);
    await look(store);
    // No second snapshot: the reset to small(2) is still in the journal, not retired into the data file.
    expect(await readFile(`${file}.journal`, 'utf8')).toBe(journal);
    expect(told).toEqual([['lost', path.join(datasets, name!), [], undefined]]);
  });

  it('a snapshot that fails is written at the next look: a restart after a crash needs no removed dataset', async () => {
    const fs = new FailingFs();
    const { file, store, datasets, told } = await storeIn('dataset-retry-', undefined, { fs });
    await store.replaceAll(small(1));
    const [name] = await storedIn(datasets);
    await rm(path.join(datasets, name!));
    fs.failNext('rename', { match: /^db\.json\.journal$/ });
    await look(store);
    await look(store);
    expect(told).toEqual([['lost', path.join(datasets, name!), [], undefined]]);
    const { store: next } = await afterCrash(store, file);
    expect(next.snapshot()).toEqual(small(1));
  });

  it('of a baseline read back at start, not in memory: the baseline is told lost, and the data file holds every write', async () => {
    const { file, store, datasets, told } = await baselineReadBack('dataset-lost-');
    const id = JSON.parse(await readFile(path.join(datasets, 'baselines.json'), 'utf8')).baselines[0].dataset as string;
    await rm(path.join(datasets, `${id}.json`));
    await look(store);
    await look(store);
    // Told once, naming the baseline.
    expect(told).toEqual([['lost', path.join(datasets, `${id}.json`), [{ tenant: DEFAULT_TENANT_ID, name: 'clean' }], undefined]]);
    await expect(store.restoreBaseline('clean')).rejects.toMatchObject({ kind: 'corrupt', message: expect.stringContaining('is missing.') });
    expect(store.snapshot()).toEqual(small(2));
    // Deleted, the baseline no longer stops a start.
    expect(await store.removeBaseline('clean')).toBe(true);
    const { store: next } = await afterCrash(store, file);
    expect(next.snapshot()).toEqual(small(2));
    expect(next.listBaselines()).toEqual([]);
  });
});

describe('a stored dataset named by two baselines', () => {
  it('one read back at start, one saved since: removed, it is written again from the records in memory, both baselines restore', async () => {
    const { store, datasets, told } = await baselineReadBack('dataset-two-names-');
    await store.replaceAll(small(1));
    await store.saveBaseline('again');
    const list = JSON.parse(await readFile(path.join(datasets, 'baselines.json'), 'utf8')).baselines as { name: string; dataset: string }[];
    const id = list[0]!.dataset;
    expect(list.map((b) => [b.name, b.dataset])).toEqual([
      ['clean', id],
      ['again', id],
    ]);
    const at = path.join(datasets, `${id}.json`);
    const original = await readFile(at, 'utf8');
    await rm(at);
    await look(store);
    expect(await readFile(at, 'utf8')).toBe(original);
    expect(told).toEqual([]);
    for (const name of ['clean', 'again']) {
      await store.replaceAll(small(2));
      expect((await store.restoreBaseline(name))?.name).toBe(name);
      expect(store.snapshot()).toEqual(small(1));
    }
  });
});

describe('the stored datasets at each look', () => {
  it('are read only when their file changed: a look at files as last seen reads none (a stat each)', async () => {
    const { store, datasets } = await storeIn('dataset-unread-');
    await store.replaceAll(small(1));
    await store.saveBaseline('clean');
    await store.replaceAll(small(2));
    const read = jest.spyOn(DatasetFiles.prototype, 'read');
    await look(store);
    await look(store);
    expect(read).not.toHaveBeenCalled();
    // A touched one is read once, to tell it from an edit, and not again while it stays as it is.
    const [name] = await storedIn(datasets);
    const later = new Date(Date.now() + 5_000);
    await utimes(path.join(datasets, name!), later, later);
    await look(store);
    await look(store);
    expect(read.mock.calls).toEqual([[name!.replace('.json', '')]]);
  });
});

describe('the folder of stored datasets removed while the store runs', () => {
  it("is made again with the index and the baseline's dataset in it: a restart after a crash restores the baseline", async () => {
    const { file, store, datasets } = await storeIn('datasets-folder-');
    await store.replaceAll(small(1));
    await store.saveBaseline('clean');
    await store.replaceAll(small(2));
    await rm(datasets, { recursive: true });
    await look(store);
    expect(await readdir(datasets)).toContain('baselines.json');
    const { store: next } = await afterCrash(store, file);
    expect(next.snapshot()).toEqual(small(2));
    expect((await next.restoreBaseline('clean'))?.name).toBe('clean');
    expect(next.snapshot()).toEqual(small(1));
  });
});

/** The baseline 'clean' of small(1) saved, and seen by a look: its dataset's id, file and text. */
async function savedBaseline(store: FileStore, datasets: string) {
  await store.replaceAll(small(1));
  await store.saveBaseline('clean');
  const id = JSON.parse(await readFile(path.join(datasets, 'baselines.json'), 'utf8')).baselines[0].dataset as string;
  const at = path.join(datasets, `${id}.json`);
  const original = await readFile(at, 'utf8');
  await look(store);
  return { id, at, original };
}

describe('a stored dataset changed by another program while the store runs', () => {
  it("is kept aside, told, and the baseline's records written in its place", async () => {
    const { file, store, datasets, told } = await storeIn('dataset-edited-');
    const { id, at, original } = await savedBaseline(store, datasets);
    const edited = original.replace(/"displayName":"[^"]*"/, '"displayName":"Edited by hand"');
    await writeFile(at, edited);
    // The first look that finds it changed waits for a second to find it the same: nothing is done yet.
    await look(store);
    expect((await readdir(datasets)).filter((n) => n.includes('.changed-'))).toEqual([]);
    expect(told).toEqual([]);
    await look(store);
    const aside = (await readdir(datasets)).filter((n) => n.startsWith(`${id}.json.changed-`));
    expect(aside).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.json\.changed-\d{8}T\d{6}Z$/)]);
    expect(await readFile(path.join(datasets, aside[0]!), 'utf8')).toBe(edited);
    expect(await readFile(at, 'utf8')).toBe(original);
    expect(told).toEqual([['changed', at, path.join(datasets, aside[0]!), 'stored dataset']]);
    const { store: next } = await afterCrash(store, file);
    await next.replaceAll(small(2));
    expect((await next.restoreBaseline('clean'))?.name).toBe('clean');
    expect(next.snapshot()).toEqual(small(1));
  });

  it('is kept aside once when its records are written in its place at a later look, the first write having failed', async () => {
    const fs = new FailingFs();
    const { store, datasets, told } = await storeIn('dataset-edited-twice-', undefined, { fs });
    const { id, at, original } = await savedBaseline(store, datasets);
    await writeFile(at, original.replace(/"displayName":"[^"]*"/, '"displayName":"Edited by hand"'));
    await look(store);
    fs.failNext('rename', { match: new RegExp(id) });
    await look(store);
    expect(told).toEqual([]);
    await look(store);
    const aside = (await readdir(datasets)).filter((n) => n.startsWith(`${id}.json.changed-`));
    expect(aside).toHaveLength(1);
    expect(await readFile(at, 'utf8')).toBe(original);
    expect(told).toEqual([['changed', at, path.join(datasets, aside[0]!), 'stored dataset']]);
  });

  it('still being written when a look finds it (emptied, then written again): the whole edit is kept aside, not the empty file', async () => {
    const { store, datasets, told } = await storeIn('dataset-half-written-');
    const { id, at, original } = await savedBaseline(store, datasets);
    // An editor that saves in place: the file emptied first, a look in between, then the text written.
    await writeFile(at, '');
    await look(store);
    const edited = original.replace(/"displayName":"[^"]*"/, '"displayName":"Edited in place"');
    await writeFile(at, edited);
    await look(store);
    expect((await readdir(datasets)).filter((n) => n.includes('.changed-'))).toEqual([]);
    await look(store);
    const aside = (await readdir(datasets)).filter((n) => n.startsWith(`${id}.json.changed-`));
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(datasets, aside[0]!), 'utf8')).toBe(edited);
    expect(await readFile(at, 'utf8')).toBe(original);
    expect(told).toEqual([['changed', at, path.join(datasets, aside[0]!), 'stored dataset']]);
  });

  it('is no change when only its time of modification moved (touch): nothing kept aside, nothing told', async () => {
    const { store, datasets, told } = await storeIn('dataset-touched-');
    await store.replaceAll(small(1));
    await store.saveBaseline('clean');
    await look(store);
    const [name] = await storedIn(datasets);
    const later = new Date(Date.now() + 5_000);
    await utimes(path.join(datasets, name!), later, later);
    // Two looks: a version found changed is taken once a second look finds it the same.
    await look(store);
    await look(store);
    expect((await readdir(datasets)).filter((n) => n.includes('.changed-'))).toEqual([]);
    expect(told).toEqual([]);
  });

  it('of a baseline read back at start, not in memory: is kept aside and the baseline told lost; its restore is refused, the data left as it was', async () => {
    const { store, datasets, told } = await baselineReadBack('dataset-edited-lost-');
    await look(store);
    const id = JSON.parse(await readFile(path.join(datasets, 'baselines.json'), 'utf8')).baselines[0].dataset as string;
    const at = path.join(datasets, `${id}.json`);
    const edited = (await readFile(at, 'utf8')).replace(/"displayName":"[^"]*"/, '"displayName":"Edited by hand"');
    await writeFile(at, edited);
    await look(store);
    await look(store);
    const aside = (await readdir(datasets)).filter((n) => n.startsWith(`${id}.json.changed-`));
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(datasets, aside[0]!), 'utf8')).toBe(edited);
    expect(told).toEqual([['lost', at, [{ tenant: DEFAULT_TENANT_ID, name: 'clean' }], path.join(datasets, aside[0]!)]]);
    await expect(store.restoreBaseline('clean')).rejects.toMatchObject({ kind: 'corrupt', message: expect.stringContaining('is damaged') });
    expect(store.snapshot()).toEqual(small(2));
  });
});

/**
 * `file` written in place as `cp` and editors do, with a look between the emptying and the writing, then two more
 * looks: nothing is taken until the second finds the same version, which is then kept aside whole. Answers the name
 * it was kept as; the file's text then is the caller's to check.
 */
async function writtenInPlace(store: FileStore, file: string, text: string, told: unknown[][]): Promise<string> {
  const dir = path.dirname(file);
  const asideOf = async () => (await readdir(dir)).filter((n) => n.startsWith(`${path.basename(file)}.changed-`));
  await writeFile(file, '');
  await look(store);
  expect(await readFile(file, 'utf8')).toBe('');
  await writeFile(file, text);
  await look(store);
  expect({ aside: await asideOf(), text: await readFile(file, 'utf8') }).toEqual({ aside: [], text });
  await look(store);
  const aside = await asideOf();
  expect(aside).toHaveLength(1);
  const keptAs = path.join(dir, aside[0]!);
  expect(await readFile(keptAs, 'utf8')).toBe(text);
  expect(told).toEqual([['changed', file, keptAs, expect.any(String)]]);
  return keptAs;
}

describe('the data file written in place by another program while the store runs (cp, an editor)', () => {
  it('is taken once no one writes it any more: the whole version kept aside, not the emptied file, and the data written again', async () => {
    const first = await storeIn('data-half-written-');
    await first.store.replaceAll(small(1));
    // Closed, the store leaves its data in the data file, which the next one reads.
    await first.store.close();
    opened.splice(0);
    const { file, store, told } = await storeIn('', first.file);
    await look(store);
    const copied = (await readFile(file, 'utf8')).replace(/"displayName":"[^"]*"/, '"displayName":"Copied over"');
    await writtenInPlace(store, file, copied, told);
    expect(await readFile(file, 'utf8')).not.toContain('Copied over');
    const { store: next } = await afterCrash(store, file);
    expect(next.snapshot()).toEqual(small(1));
  });
});

describe("the baselines' index written in place by another program while the store runs", () => {
  it('is taken once no one writes it any more: the whole version kept aside, and the list in memory written again', async () => {
    const { store, datasets, told } = await storeIn('index-half-written-');
    await savedBaseline(store, datasets);
    const index = path.join(datasets, 'baselines.json');
    const original = await readFile(index, 'utf8');
    await writtenInPlace(store, index, original.replace('"clean"', '"edited"'), told);
    expect(await readFile(index, 'utf8')).toBe(original);
  });
});
