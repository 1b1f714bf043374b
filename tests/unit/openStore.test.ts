// Which store a DATA_FILE gives, and where a data file cannot be kept: on Windows its lock (a Unix socket) cannot be
// made, and the start says so in words rather than failing at the lock with an EACCES.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../server/errors.js';
import { FileStore } from '../../server/store/fileStore.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { dataFileRefusal, openStore } from '../../server/store/openStore.js';
import { tempDir } from '../support/childProcess.js';

const REFUSAL =
  'A data file cannot be kept on Windows: its lock is a Unix socket, which Windows does not have. ' +
  'Keep the data in memory (DATA_FILE=:memory:), or run the emulator in WSL2 (in its Linux file system, such as ~/) ' +
  'or with docker-compose (docs/running.md, "Platforms").';

describe('openStore', () => {
  it('keeps :memory: in memory on every platform, Windows included', async () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const store = await openStore(':memory:', {}, platform);
      expect(store).toBeInstanceOf(MemoryStore);
      expect(store.fresh).toBe(true);
    }
  });

  it('refuses a data file on Windows with what to do instead, and makes nothing', async () => {
    const dir = tempDir('open-');
    const file = path.join(dir, 'db.json');
    const refused = await openStore(file, {}, 'win32').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toBe(REFUSAL);
    expect(dataFileRefusal('win32')).toBe(REFUSAL);
    expect(await readdir(dir)).toEqual([]);
  });

  it('opens a data file on Linux and macOS', async () => {
    expect([dataFileRefusal('linux'), dataFileRefusal('darwin')]).toEqual([undefined, undefined]);
    const store = await openStore(path.join(tempDir('open-'), 'db.json'), {}, 'linux');
    try {
      expect(store).toBeInstanceOf(FileStore);
      expect(store.fresh).toBe(true);
    } finally {
      await store.close();
    }
  });
});
