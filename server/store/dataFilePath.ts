// Which file DATA_FILE really is, and whether the emulator may use it. Symbolic links are followed to the
// file itself: its real path names the lock and the journal, so two emulators started on a link and on its
// target meet at the same lock, and the snapshot is renamed over the target, which keeps the link in place.
import { constants } from 'node:fs';
import { access, lstat, mkdir, readlink, realpath, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { FileAccessError } from '../errors.js';
import { syncDirectory } from './durableWrites.js';
import { NEW_FOLDER_MODE } from './storeFs.js';
import { StoreError } from './store.js';

/** As many links as Linux follows in one path (MAXSYMLINKS) before ELOOP. */
const MAX_LINKS = 40;

/**
 * The path a link chain ends at (the file, or where it is to be created), with its folder made and resolved, and
 * the first folder this call made, if it made any.
 */
async function followLinks(file: string, sync: (dir: string) => Promise<void>): Promise<{ at: string; madeFolder: string | undefined }> {
  let at = path.resolve(file);
  for (let hops = 0; ; hops += 1) {
    const stats = await lstat(at).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (!stats?.isSymbolicLink()) break;
    if (hops === MAX_LINKS) throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP', path: file });
    // A relative target is relative to the folder the link really sits in.
    at = path.resolve(await realpath(path.dirname(at)), await readlink(at));
  }
  const madeFolder = await makeFolders(path.dirname(at), sync);
  return { at: path.join(await realpath(path.dirname(at)), path.basename(at)), madeFolder };
}

/**
 * `mkdir -p`, one level at a time from the deepest folder that exists; the first folder made, if any. Not Node's
 * recursive mkdir: under /proc, where mkdir answers ENOENT for a folder whose parent exists, it retries for ever
 * (at full CPU, deaf to signals), where this fails with the system's answer.
 */
async function makeFolders(dir: string, sync: (dir: string) => Promise<void>): Promise<string | undefined> {
  const missing: string[] = [];
  for (let at = dir; ; at = path.dirname(at)) {
    const exists = await lstat(at).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false;
        throw err;
      },
    );
    if (exists || at === path.dirname(at)) break;
    missing.unshift(at);
  }
  let first: string | undefined;
  for (const at of missing) {
    const made = await mkdir(at, NEW_FOLDER_MODE).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
        return false;
      },
    );
    // One made meanwhile by someone else is as good as made here, but neither it nor those above are ours to remove.
    first = made ? (first ?? at) : undefined;
    // Its name made durable in its parent, as every name the store makes is: the first write acknowledged in it must
    // not depend on a folder entry a power loss could take away.
    if (made) await sync(path.dirname(at));
  }
  return first;
}

/** The data file's real path, and the first of its folders that the emulator made (removeMadeFolders). */
export interface UsableDataFile {
  path: string;
  madeFolder: string | undefined;
}

/**
 * Remove the folders usableDataFile made for `file`, deepest first, while they are empty: a start refused on a
 * DATA_FILE in a folder that did not exist leaves no folder behind. A folder that holds anything stays.
 */
export async function removeMadeFolders(file: UsableDataFile): Promise<void> {
  if (file.madeFolder === undefined) return;
  const first = await realpath(file.madeFolder).catch(() => undefined);
  if (first === undefined) return;
  for (let dir = path.dirname(file.path); dir === first || dir.startsWith(`${first}${path.sep}`); dir = path.dirname(dir)) {
    const removed = await rmdir(dir).then(
      () => true,
      () => false,
    );
    if (!removed) return;
  }
}

/**
 * The real path of the data file `file` (every symbolic link resolved; its folder created when missing),
 * once it is known to be usable: a regular file with one name, that this process may read and write (with a
 * write bit for somebody: root may write any file), in a folder it may write (a missing file must be created
 * there, and the lock and the journal live beside it).
 * Throws a FileAccessError naming the file, the cause and `setting` (what named the file: `--out` for the seed
 * command), or a StoreError for a hard-linked file.
 */
export async function usableDataFile(file: string, setting = 'DATA_FILE', sync: (dir: string) => Promise<void> = syncDirectory): Promise<UsableDataFile> {
  const { at: real, madeFolder } = await followLinks(file, sync);
  const stats = await stat(real).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  const named = real === path.resolve(file) ? real : `${path.resolve(file)} (${real})`;
  if (stats?.isDirectory()) throw new FileAccessError(`The data file ${named} is a directory (EISDIR); ${setting} must name a file.`);
  if (stats !== undefined && !stats.isFile()) {
    throw new FileAccessError(`The data file ${named} is not a regular file (a device, socket or pipe); ${setting} must name a file.`);
  }
  if (stats !== undefined && stats.nlink > 1) {
    // Every snapshot is a new file renamed over this name: the other names would keep an old copy while this
    // one moves on, and an emulator started on one of them would write a second, diverging copy.
    throw new StoreError(
      'locked',
      `The data file ${named} has ${stats.nlink} hard links; the emulator replaces the file at every snapshot, so its other names would diverge from it. Give the emulator a file of its own (cp, not ln), or a symbolic link.`,
    );
  }
  // Checked now, not at the first write: a read-only file in a writable folder would otherwise be replaced
  // by the first snapshot, and a read-only folder would fail only once a client has been told "201".
  // access() lets root write anything: a file with no write bit for anybody is read-only whoever runs.
  if (stats !== undefined && (stats.mode & 0o222) === 0) {
    throw Object.assign(new Error(`EACCES: permission denied (mode 0${(stats.mode & 0o777).toString(8)}), access '${real}'`), {
      code: 'EACCES',
      syscall: 'access',
      path: real,
    });
  }
  if (stats !== undefined) await access(real, constants.R_OK | constants.W_OK);
  await access(path.dirname(real), constants.W_OK | constants.X_OK);
  return { path: real, madeFolder };
}
