// DatasetFiles: the stored datasets beside the data file, and what a collect may remove while a store of the
// same dataset runs (a reset answered during a compaction's clean-up must find its file on disk).
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatasetFiles } from '../../server/store/datasetFiles.js';
import { type StoreFs, nodeFs } from '../../server/store/storeFs.js';
import { type Dataset, emptyDataset } from '../../server/store/records.js';
import { tempDir } from '../support/childProcess.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataset(displayName: string): Dataset {
  const data = emptyDataset();
  data.accessPackages.push({ id: `00000000-0000-4000-8000-${displayName.length.toString().padStart(12, '0')}`, displayName } as never);
  return data;
}

/** Files over the real file system whose removals wait until `release()`; `failNext` makes the next one fail. */
async function gatedFiles() {
  const dir = path.join(tempDir('dataset-files-'), 'db.json.datasets');
  dirs.push(path.dirname(dir));
  let release = () => {};
  let gate = Promise.resolve();
  let failNext = false;
  const removals: string[] = [];
  const fs: StoreFs = {
    ...nodeFs,
    rm: async (file, options) => {
      removals.push(path.basename(file));
      await gate;
      if (failNext) {
        failNext = false;
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      }
      return nodeFs.rm(file, options);
    },
  };
  const files = await DatasetFiles.open(dir, fs);
  return {
    files,
    removals,
    fileOf: (id: string) => path.join(dir, `${id}.json`),
    hold: () => {
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    release: () => release(),
    failNextRemoval: () => {
      failNext = true;
    },
  };
}

describe('DatasetFiles.open', () => {
  it('knows the stored datasets already in the folder, and nothing else in it: a collect removes those nothing pins and leaves other files', async () => {
    const first = await gatedFiles();
    const id = await first.files.store(dataset('Left from before'));
    const dir = path.dirname(first.fileOf(id));
    const [a, b, c] = ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)] as const;
    const others = ['notes.txt', `${a}.json.tmp`, `x${b}.json`, `${c.toUpperCase()}.json`];
    for (const name of others) writeFileSync(path.join(dir, name), '');
    const reopened = await DatasetFiles.open(dir, nodeFs);
    expect([id, a, b, c].map((known) => reopened.has(known))).toEqual([true, false, false, false]);
    await reopened.collect();
    expect(reopened.has(id)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([...others].sort());
  });

  it('opens a folder that does not exist yet as empty, and refuses a path that is a file', async () => {
    const dir = path.join(tempDir('dataset-files-'), 'db.json.datasets');
    dirs.push(path.dirname(dir));
    const files = await DatasetFiles.open(dir, nodeFs);
    await files.collect();
    expect(existsSync(dir)).toBe(false);
    writeFileSync(dir, 'not a folder');
    await expect(DatasetFiles.open(dir, nodeFs)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

describe('DatasetFiles.collect', () => {
  it('takes a file someone else removed for removed', async () => {
    const { files, fileOf } = await gatedFiles();
    const id = await files.store(dataset('Gone already'));
    files.unpin(id);
    rmSync(fileOf(id));
    await files.collect();
    expect(files.has(id)).toBe(false);
  });

  it('removes the files nothing pins, and keeps the pinned ones', async () => {
    const { files, fileOf } = await gatedFiles();
    const kept = await files.store(dataset('Kept'));
    const dropped = await files.store(dataset('Dropped one'));
    files.unpin(dropped);
    await files.collect();
    expect([existsSync(fileOf(kept)), existsSync(fileOf(dropped))]).toEqual([true, false]);
    expect([files.has(kept), files.has(dropped)]).toEqual([true, false]);
  });

  it('writes a dataset again when it is stored while its removal runs: the store resolves with the file on disk', async () => {
    const { files, fileOf, hold, release, removals } = await gatedFiles();
    const data = dataset('Reset target');
    const id = await files.store(data);
    files.unpin(id);
    hold();
    const collecting = files.collect();
    await new Promise((resolve) => setImmediate(resolve));
    expect(removals).toEqual([`${id}.json`]);
    let stored = false;
    const storing = files.store(data).then((again) => {
      stored = true;
      return again;
    });
    await new Promise((resolve) => setImmediate(resolve));
    // It waits for the removal rather than taking the file for durable.
    expect(stored).toBe(false);
    release();
    await collecting;
    expect(await storing).toBe(id);
    expect(existsSync(fileOf(id))).toBe(true);
    expect(files.has(id)).toBe(true);
    // Pinned by the second store: the next collect keeps it.
    await files.collect();
    expect(existsSync(fileOf(id))).toBe(true);
  });

  it('looks at each pin again just before its removal: a file pinned while another is being removed stays', async () => {
    const { files, fileOf, hold, release, removals } = await gatedFiles();
    const first = await files.store(dataset('First'));
    const second = await files.store(dataset('Second one'));
    files.unpin(first);
    files.unpin(second);
    hold();
    const collecting = files.collect();
    await new Promise((resolve) => setImmediate(resolve));
    expect(removals).toHaveLength(1);
    const other = removals[0] === `${first}.json` ? second : first;
    files.pin(other);
    release();
    await collecting;
    expect(removals).toHaveLength(1);
    expect(existsSync(fileOf(other))).toBe(true);
    expect(files.has(other)).toBe(true);
  });

  it('keeps a file whose removal failed as one that is on disk', async () => {
    const { files, fileOf, failNextRemoval } = await gatedFiles();
    const id = await files.store(dataset('Stuck'));
    files.unpin(id);
    failNextRemoval();
    await expect(files.collect()).rejects.toThrow('EACCES');
    expect(files.has(id)).toBe(true);
    expect(existsSync(fileOf(id))).toBe(true);
    await files.collect();
    expect(files.has(id)).toBe(false);
    expect(existsSync(fileOf(id))).toBe(false);
  });
});
