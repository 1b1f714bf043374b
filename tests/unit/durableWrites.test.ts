// A file created whole (the token signing key): it appears with all of its text or not at all, its new name synced in
// its folder; a second writer finds it taken and leaves it; a write that fails leaves neither the file nor its
// temporary file, and never passes for a file another writer made.
import { describe, expect, it } from '@jest/globals';
import { readFile, readdir, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createWhole } from '../../server/store/durableWrites.js';
import { nodeFs } from '../../server/store/storeFs.js';
import { tempDir } from '../support/emulatorProcess.js';
import { FailingFs } from '../support/failingFs.js';

async function keyFile() {
  const dir = await tempDir('whole-');
  return { dir, file: path.join(dir, 'key.pem') };
}

describe('createWhole', () => {
  it('makes the file with its text and mode, then syncs its folder; a second call finds it taken and leaves it', async () => {
    const { dir, file } = await keyFile();
    const fs = new FailingFs();
    expect(await createWhole(file, 'first', 0o600, fs)).toBe(true);
    expect(fs.opened.map((o) => o.name)).toEqual([expect.stringMatching(/^\.key\.pem\.[0-9a-f]{16}\.tmp$/), path.basename(dir)]);
    expect(await createWhole(file, 'second', 0o600, fs)).toBe(false);
    // The second one's temporary file only: nothing was named, so nothing new to sync.
    expect(fs.opened.map((o) => o.name).slice(2)).toEqual([expect.stringMatching(/^\.key\.pem\.[0-9a-f]{16}\.tmp$/)]);
    expect([await readFile(file, 'utf8'), (await stat(file)).mode & 0o777, await readdir(dir)]).toEqual(['first', 0o600, ['key.pem']]);
  });

  it('fails as the sync of its folder fails, once the file has its name', async () => {
    const { dir, file } = await keyFile();
    const fs = new FailingFs().failNext('sync', { match: new RegExp(`^${path.basename(dir)}$`) });
    await expect(createWhole(file, 'text', 0o600, fs)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(fs.injected).toEqual([`sync ${path.basename(dir)}`]);
  });

  it('fails as the write of its temporary file fails, and leaves no file behind', async () => {
    const { dir, file } = await keyFile();
    const fs = new FailingFs().failNext('sync', { match: /\.tmp$/ });
    await expect(createWhole(file, 'text', 0o600, fs)).rejects.toMatchObject({ code: 'ENOSPC', syscall: 'sync' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails when its temporary file is gone before the link, rather than answering that another writer made the file', async () => {
    const { dir, file } = await keyFile();
    // Another program clears the folder between the write of the temporary file and its link.
    const fs = {
      ...nodeFs,
      open: async (at: string, flags: string | number, mode?: number): Promise<FileHandle> => {
        const handle = await nodeFs.open(at, flags, mode);
        if (!at.endsWith('.tmp')) return handle;
        const close = handle.close.bind(handle);
        return Object.assign(handle, { close: () => close().then(() => unlink(at)) });
      },
    };
    await expect(createWhole(file, 'text', 0o600, fs)).rejects.toMatchObject({ code: 'ENOENT', syscall: 'link' });
    expect(await readdir(dir)).toEqual([]);
  });
});
