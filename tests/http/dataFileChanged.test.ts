// A data file changed by another program while the store holds it (an editor's save, a copy renamed into place, a
// write in place) is kept under a name of its own when the store's next snapshot replaces it: neither the user's
// version nor the emulator's acknowledged writes are lost (store/changedElsewhere.ts).
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFile, readdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { keepAside } from '../../server/store/changedElsewhere.js';
import { DurableJSONFile } from '../../server/store/durableJsonFile.js';
import { FileStore } from '../../server/store/fileStore.js';
import { datasetOf, emptyDataset } from '../../server/store/records.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { accessPackage } from '../support/accessPackages.js';
import { tempDir } from '../support/emulatorProcess.js';

const open: FileStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close().catch(() => undefined)));
});

/** The data file's time of modification at start, a whole second, which a copy that keeps it (cp -p) can set exactly. */
const STARTED = new Date('2026-12-01T10:00:00Z');

/**
 * A store on a data file that already holds one package, and what it is told of versions kept aside. `written` turns
 * the emulator's own text into another layout (a hand-written one, pretty-printed).
 */
async function storeOnFile(written = (text: string) => text) {
  const dir = await tempDir('changed-');
  const file = path.join(dir, 'db.json');
  await writeFile(file, written(serializeDataset(datasetOf({ accessPackages: [accessPackage({ displayName: 'On disk at start' })] }))));
  await utimes(file, STARTED, STARTED);
  const told: Array<[string, string]> = [];
  const store = await FileStore.open(file, { onChangedElsewhere: (changed, aside) => told.push([changed, aside]) });
  open.push(store);
  return { dir, file, store, told };
}

/** The store's next snapshot (at its close, after one create), and the versions it kept aside. */
async function snapshotAndAside(store: FileStore, dir: string): Promise<string[]> {
  await store.create('accessPackages', accessPackage({ displayName: 'Made through the API' }));
  await store.close();
  return (await readdir(dir)).filter((name) => name.startsWith('db.json.changed-'));
}

const names = (store: FileStore) => store.list('accessPackages').map((p) => p.displayName);

describe('a data file changed by another program while the store runs', () => {
  it.each([
    ['saved as a new file renamed into place', async (file: string, text: string) => writeFile(`${file}.new`, text).then(() => rename(`${file}.new`, file))],
    ['written in place', (file: string, text: string) => writeFile(file, text)],
  ])('%s: is kept beside the snapshot, which holds the store’s data', async (_how, change) => {
    const { dir, file, store, told } = await storeOnFile();
    const edited = serializeDataset(datasetOf({ accessPackages: [accessPackage({ displayName: 'Edited by hand' })] }));
    await change(file, edited);
    await store.create('accessPackages', accessPackage({ displayName: 'Made through the API' }));
    await store.close();
    const aside = (await readdir(dir)).filter((name) => name.startsWith('db.json.changed-'));
    expect(aside).toEqual([expect.stringMatching(/^db\.json\.changed-\d{8}T\d{6}Z$/)]);
    expect(await readFile(path.join(dir, aside[0]!), 'utf8')).toBe(edited);
    expect(told).toEqual([[file, path.join(dir, aside[0]!)]]);
    const reopened = await FileStore.open(file);
    open.push(reopened);
    expect(names(reopened).sort()).toEqual(['Made through the API', 'On disk at start']);
  });

  // Each version differs from the one read in one thing only: the size, the time of modification or the inode.
  it.each([
    ['written in place to the same size', async (file: string, text: string) => writeFile(file, text)],
    [
      'copied into place keeping the size and the time (cp -p, rsync -t)',
      async (file: string, text: string) => {
        await writeFile(`${file}.new`, text);
        await utimes(`${file}.new`, STARTED, STARTED);
        await rename(`${file}.new`, file);
      },
    ],
    [
      'written in place to another size, the time set back (touch -r)',
      async (file: string, text: string) => {
        await writeFile(file, `${text}\n`);
        await utimes(file, STARTED, STARTED);
      },
    ],
  ])('%s: is kept beside the snapshot', async (how, change) => {
    const { dir, file, store, told } = await storeOnFile();
    const sameSize = (await readFile(file, 'utf8')).replace('On disk at start', 'Edited by hand!!');
    await change(file, sameSize);
    const edited = await readFile(file, 'utf8');
    const aside = await snapshotAndAside(store, dir);
    expect({ how, aside: aside.length, told: told.length }).toEqual({ how, aside: 1, told: 1 });
    expect(await readFile(path.join(dir, aside[0]!), 'utf8')).toBe(edited);
  });

  it('read in another layout than the emulator writes (pretty-printed by hand): an edit is kept beside the snapshot', async () => {
    const { dir, file, store, told } = await storeOnFile((text) => JSON.stringify(JSON.parse(text), null, 2));
    const edited = (await readFile(file, 'utf8')).replace('On disk at start', 'Edited by hand');
    await writeFile(file, edited);
    const aside = await snapshotAndAside(store, dir);
    expect(told).toEqual([[file, path.join(dir, aside[0]!)]]);
    expect(await readFile(path.join(dir, aside[0]!), 'utf8')).toBe(edited);
  });

  it('made by another program where there was none at start: is kept beside the snapshot', async () => {
    const dir = await tempDir('changed-');
    const file = path.join(dir, 'db.json');
    const told: Array<[string, string]> = [];
    const store = await FileStore.open(file, { onChangedElsewhere: (changed, aside) => told.push([changed, aside]) });
    open.push(store);
    const made = serializeDataset(datasetOf({ accessPackages: [accessPackage({ displayName: 'Copied in' })] }));
    await writeFile(file, made);
    const aside = await snapshotAndAside(store, dir);
    expect(told).toEqual([[file, path.join(dir, aside[0]!)]]);
    expect(await readFile(path.join(dir, aside[0]!), 'utf8')).toBe(made);
  });

  it('removed by another program: the next snapshot writes it anew, nothing kept aside', async () => {
    const { dir, file, store, told } = await storeOnFile();
    await rm(file);
    await store.create('accessPackages', accessPackage({ displayName: 'Made through the API' }));
    await store.close();
    expect(told).toEqual([]);
    expect((await readdir(dir)).filter((name) => name.includes('changed'))).toEqual([]);
    const reopened = await FileStore.open(file);
    open.push(reopened);
    expect(names(reopened).sort()).toEqual(['Made through the API', 'On disk at start']);
  });

  it('is not looked for when nobody else changed it: snapshot after snapshot, nothing is kept aside', async () => {
    const { dir, file, store, told } = await storeOnFile();
    await store.create('accessPackages', accessPackage({ displayName: 'One' }));
    await store.replaceAll(emptyDataset());
    await store.close();
    const again = await FileStore.open(file, { onChangedElsewhere: (changed, aside) => told.push([changed, aside]) });
    open.push(again);
    await again.create('accessPackages', accessPackage({ displayName: 'Two' }));
    await again.close();
    expect(told).toEqual([]);
    expect((await readdir(dir)).filter((name) => name.includes('changed'))).toEqual([]);
  });
});

/** The file's adapter as the store makes one for a file it reads whole (no piece parser), and the names it kept aside. */
async function wholeFile(name: string, text?: string) {
  const file = path.join(await tempDir('changed-'), name);
  if (text !== undefined) await writeFile(file, text);
  const told: string[] = [];
  const keptAside = (_file: string, aside: string) => told.push(aside);
  const adapter = new DurableJSONFile<object>(file, (data) => [JSON.stringify(data)], undefined, undefined, undefined, keptAside);
  return { file, adapter, told };
}

/** What the version kept aside and the file hold. */
const keptAndWritten = async (aside: string, file: string) => [await readFile(aside, 'utf8'), await readFile(file, 'utf8')];

describe('the snapshots of a file read whole (baselines.json, a stored dataset)', () => {
  it('keep none of their own versions aside, however many there are, and keep the next one another program makes', async () => {
    const { file, adapter, told } = await wholeFile('db.json');
    await adapter.read();
    for (const n of [1, 22, 333]) await adapter.write({ n });
    expect(told).toEqual([]);
    await writeFile(file, '{"n":"by hand"}');
    await adapter.write({ n: 4444 });
    expect(told).toEqual([expect.stringMatching(/db\.json\.changed-\d{8}T\d{6}Z$/)]);
    expect(await keptAndWritten(told[0]!, file)).toEqual(['{"n":"by hand"}', '{"n":4444}']);
  });

  it('keep a version changed after the read aside at the next write', async () => {
    const { file, adapter, told } = await wholeFile('baselines.json', '{"n":0}');
    expect(await adapter.read()).toEqual({ n: 0 });
    await writeFile(file, '{"n":"by hand"}');
    await adapter.write({ n: 1 });
    expect(told).toEqual([expect.stringMatching(/baselines\.json\.changed-\d{8}T\d{6}Z$/)]);
    expect(await keptAndWritten(told[0]!, file)).toEqual(['{"n":"by hand"}', '{"n":1}']);
  });
});

describe('keepAside', () => {
  it('names a second version kept in the same second apart, overwriting none', async () => {
    const file = path.join(await tempDir('changed-'), 'db.json');
    const now = new Date('2026-12-07T04:13:54.123Z');
    await writeFile(file, 'first');
    const first = await keepAside(file, now);
    await writeFile(file, 'second');
    const second = await keepAside(file, now);
    expect([path.basename(first), path.basename(second)]).toEqual(['db.json.changed-20261207T041354Z', 'db.json.changed-20261207T041354Z-1']);
    expect([await readFile(first, 'utf8'), await readFile(second, 'utf8')]).toEqual(['first', 'second']);
  });

  it('fails as the copy fails when the file is gone', async () => {
    const file = path.join(await tempDir('changed-'), 'db.json');
    await expect(keepAside(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
