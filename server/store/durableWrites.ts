// The file steps of a durable write, shared by the snapshot (durableJsonFile.ts), the stored datasets, the signing
// key and the certificates: a temporary file beside the target with a random name, created and never opened, so that
// a file or a symbolic link planted under a guessed name is never written through; a file created whole with link(2);
// the temporary files a crash left behind; the folder's fsync, without which a rename or a new name may not survive
// a power loss.
import { constants } from 'node:fs';
import { type FileHandle, link, lstat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { giveFolderOwner } from './fileOwner.js';
import { NEW_FILE_MODE, type StoreFs, nodeFs } from './storeFs.js';

/** A new name beside `file`, `.<name>.<random>.tmp`: nobody can plant anything there in advance. */
export function temporaryPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
}

/** Create `file` for writing; fails (EEXIST, ELOOP) if anything, a symbolic link included, is already there. */
export function createExclusive(file: string, fs: StoreFs = nodeFs, mode = NEW_FILE_MODE): Promise<FileHandle> {
  // O_EXCL alone already refuses an existing link; O_NOFOLLOW says so twice where the platform has it.
  return fs.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
}

/**
 * `text` written and fsynced into a new temporary file beside `file` (temporaryPath, O_EXCL, O_NOFOLLOW) of exactly
 * `mode`, owned as the folder's files are: what the caller then gives `file`'s name (a rename to replace it, a link
 * to create it). Removed again when the write fails. Answers its path.
 */
export async function writeTemporary(file: string, text: string, mode: number, fs: StoreFs = nodeFs): Promise<string> {
  const temp = temporaryPath(file);
  const handle = await createExclusive(temp, fs, mode);
  try {
    await giveFolderOwner(handle, file);
    await handle.chmod(mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    return temp;
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Create `file` holding `text`, durably and whole, unless it exists: written under a temporary name of exactly
 * `mode` (writeTemporary), then given its name with link(2), which fails when the name is taken, and the folder
 * fsynced. A reader finds no file or all of it, never an empty or partial one (as an open with O_EXCL followed by a
 * write can leave after a power loss, or show a reader in between); of two writers racing, one wins. Answers whether
 * this call made the file (false: another was there).
 */
export async function createWhole(file: string, text: string, mode: number, fs: StoreFs = nodeFs): Promise<boolean> {
  const temp = await writeTemporary(file, text, mode, fs);
  let made: boolean;
  try {
    made = await link(temp, file).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') return false;
        throw err;
      },
    );
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
  if (made) await syncDirectory(path.dirname(file), fs);
  return made;
}

/**
 * Remove the temporary files a snapshot of `file` left behind when the process died before its rename (a
 * kill -9, a power loss): regular files named exactly as temporaryPath names them for this file, nothing
 * else. Only for the file's owner, holding its lock, before it writes: another writer's file would go too.
 * Best effort (a folder that cannot be listed, a file that cannot be removed, is left as it is); answers
 * the names removed.
 */
export function removeStrayTemporaryFiles(file: string, fs: StoreFs = nodeFs): Promise<string[]> {
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return removeTemporaryFilesIn(path.dirname(file), base, fs);
}

/**
 * removeStrayTemporaryFiles for every file of `dir` whose name matches `base` (a regular expression's source):
 * the stored datasets and the baseline list, which are written as the data file is.
 */
export async function removeTemporaryFilesIn(dir: string, base: string, fs: StoreFs = nodeFs): Promise<string[]> {
  const pattern = new RegExp(`^\\.(?:${base})\\.[0-9a-f]{16}\\.tmp$`);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const at = path.join(dir, name);
    try {
      if (!(await lstat(at)).isFile()) continue;
      await fs.rm(at, { force: true });
      removed.push(name);
    } catch {
      // Left for the next start.
    }
  }
  return removed;
}

export async function syncDirectory(dir: string, fs: StoreFs = nodeFs): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
