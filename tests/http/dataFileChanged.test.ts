// A data file changed by another program while the store holds it (an editor's save, a copy renamed into place, a
// write in place) is kept under a name of its own when the store's next snapshot replaces it: neither the user's
// version nor the emulator's acknowledged writes are lost (store/changedElsewhere.ts).
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '../../server/store/fileStore.js';
import { datasetOf, emptyDataset } from '../../server/store/types.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { accessPackage } from '../support/accessPackages.js';
import { tempDir } from '../support/emulatorProcess.js';

const open: FileStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close().catch(() => undefined)));
});

/** A store on a data file that already holds one package, and what it is told of versions kept aside. */
async function storeOnFile() {
  const dir = await tempDir('changed-');
  const file = path.join(dir, 'db.json');
  await writeFile(file, serializeDataset(datasetOf({ accessPackages: [accessPackage({ displayName: 'On disk at start' })] })));
  const told: Array<[string, string]> = [];
  const store = await FileStore.open(file, { onChangedElsewhere: (changed, aside) => told.push([changed, aside]) });
  open.push(store);
  return { dir, file, store, told };
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
