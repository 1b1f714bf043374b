// The store's look at its own files (filesWatch.ts), in the process: a data file removed is written again from
// memory at the next look, however many times it goes; a look that finds every file as the store wrote it writes
// nothing (a snapshot of a big tenant costs seconds); the store looks by itself every FILES_CHECK_MS, and no more
// once it is closed, so that a closed store never writes into a folder being cleaned up.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { lstat, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '../../server/store/fileStore.js';
import { FILES_CHECK_MS } from '../../server/store/filesWatch.js';
import { datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';
import { tempDir } from '../support/emulatorProcess.js';
import { kill } from '../support/killedStore.js';

const opened: FileStore[] = [];
afterEach(async () => {
  jest.useRealTimers();
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
});

interface Watch {
  check(): Promise<void>;
  looking: Promise<void>;
}
const watchOf = (store: FileStore) => (store as unknown as { watch: Watch }).watch;
/** The files' look, now. */
const look = (store: FileStore) => watchOf(store).check();

async function open(file: string): Promise<FileStore> {
  const store = await FileStore.open(file, { onChangedElsewhere: (...args) => told.push(args) });
  opened.push(store);
  return store;
}
let told: unknown[][] = [];

/** A store on a data file a store before it wrote at its close, holding one package. */
async function storeOnDataFile(prefix: string) {
  told = [];
  const file = path.join(await tempDir(prefix), 'db.json');
  const first = await open(file);
  await first.replaceAll(datasetOf({ accessPackages: [accessPackage({ displayName: 'Kept' })] }));
  await first.close();
  opened.splice(0);
  return { file, store: await open(file) };
}

const names = (store: FileStore) => store.list('accessPackages').map((p) => p.displayName);
const versionOf = async (file: string) => {
  const { ino, size, mtimeMs } = await lstat(file);
  return { ino, size, mtimeMs };
};

describe('a data file removed while the store runs', () => {
  it('is written again from memory at the next look, each time it is removed, and left alone by the looks after', async () => {
    const { file, store } = await storeOnDataFile('files-removed-');
    for (const round of [1, 2]) {
      await rm(file);
      await look(store);
      expect({ round, names: JSON.parse(await readFile(file, 'utf8')).accessPackages.map((p: { displayName: string }) => p.displayName) }).toEqual({
        round,
        names: ['Kept'],
      });
    }
    const written = await versionOf(file);
    await look(store);
    await look(store);
    expect(await versionOf(file)).toEqual(written);
    // Removed, nothing of another program's to keep: nothing kept aside, nothing told.
    expect((await readdir(path.dirname(file))).filter((n) => n.includes('.changed-'))).toEqual([]);
    expect(told).toEqual([]);
    await kill(store);
    opened.splice(0);
    expect(names(await open(file))).toEqual(['Kept']);
  });
});

describe('a look that finds every file as the store left it', () => {
  it('writes nothing: no data file for a store that has written none yet, its writes left in the journal', async () => {
    told = [];
    const file = path.join(await tempDir('files-fresh-'), 'db.json');
    const store = await open(file);
    await store.create('accessPackages', accessPackage({ displayName: 'In the journal' }));
    const journal = await readFile(`${file}.journal`, 'utf8');
    expect(journal).toContain('In the journal');
    await look(store);
    await look(store);
    expect(await readdir(path.dirname(file))).not.toContain('db.json');
    expect(await readFile(`${file}.journal`, 'utf8')).toBe(journal);
    expect(told).toEqual([]);
  });

  it('writes nothing: the data file read at start stays the same file, the journal as it was', async () => {
    const { file, store } = await storeOnDataFile('files-same-');
    await store.create('accessPackages', accessPackage({ displayName: 'In the journal' }));
    const [data, journal] = [await versionOf(file), await readFile(`${file}.journal`, 'utf8')];
    await look(store);
    await look(store);
    expect([await versionOf(file), await readFile(`${file}.journal`, 'utf8')]).toEqual([data, journal]);
  });
});

/** Every timer real but the store's looks and its lock's (setInterval), which the test moves on. */
const looksOnTestClock = () =>
  jest.useFakeTimers({
    doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout'],
  });

describe("the store's own looks", () => {
  it('come every FILES_CHECK_MS without being asked: a removed data file is back after one', async () => {
    looksOnTestClock();
    const { file, store } = await storeOnDataFile('files-timer-');
    await rm(file);
    jest.advanceTimersByTime(FILES_CHECK_MS);
    await watchOf(store).looking;
    expect(JSON.parse(await readFile(file, 'utf8')).accessPackages).toHaveLength(1);
  });

  it("stop once the store is closed: the data file and the baselines' list removed after the close stay removed", async () => {
    looksOnTestClock();
    const { file, store } = await storeOnDataFile('files-closed-');
    await store.saveBaseline('clean');
    await store.close();
    opened.splice(0);
    await rm(file);
    await rm(path.join(`${file}.datasets`, 'baselines.json'));
    jest.advanceTimersByTime(FILES_CHECK_MS * 4);
    await watchOf(store).looking;
    expect(await readdir(path.dirname(file))).not.toContain('db.json');
    expect(await readdir(`${file}.datasets`)).not.toContain('baselines.json');
  });
});
