// A file the store reads and later replaces whole (the data file, baselines.json) may be changed by another program
// in between: an editor's save, a script's copy. The store's next snapshot renames over it, and the change would be
// gone without a word. So the store remembers which file it read or wrote last, and a file found changed when the
// next snapshot replaces it is first copied to a name of its own beside it: both are kept, the user's version and the
// emulator's (chosen: not documented; Graph has no files).
import { type Stats, constants } from 'node:fs';
import { copyFile, stat } from 'node:fs/promises';

/**
 * What tells one version of a file from another: its inode (an editor's save, a copy renamed into place), its size
 * and its time of modification (a write in place). Not its ctime, which the store's own rename changes.
 */
export interface FileVersion {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export function versionOf({ dev, ino, size, mtimeMs }: Stats): FileVersion {
  return { dev, ino, size, mtimeMs };
}

/** The version of `file` now, or null when there is none. */
export async function currentVersion(file: string): Promise<FileVersion | null> {
  try {
    return versionOf(await stat(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function sameVersion(a: FileVersion | null, b: FileVersion | null): boolean {
  if (a === null || b === null) return a === b;
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * Copies the version of `file` now to `<file>.changed-<UTC time>` (`-1`, `-2`, … when that is taken), and answers
 * that name. A copy, not a second name: a data file with two names is refused at start (dataFilePath.ts), and a
 * crash between a link and the rename that follows would leave it so.
 */
export async function keepAside(file: string, now = new Date()): Promise<string> {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  for (let n = 0; ; n++) {
    const aside = `${file}.changed-${stamp}${n === 0 ? '' : `-${n}`}`;
    try {
      await copyFile(file, aside, constants.COPYFILE_EXCL);
      return aside;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * A file found changed by another program is taken once a second look finds the same version: `cp` and editors that
 * save in place empty the file, then write it, and a look that falls in between must not take it half-written (kept
 * aside empty, and the rest of the writer's bytes lost under the store's rename).
 */
export class ChangedVersion {
  #last: FileVersion | undefined;

  /** Whether `found` is the version the last look found too; remembered for the next look. */
  settled(found: FileVersion): boolean {
    const last = this.#last;
    this.#last = found;
    return last !== undefined && sameVersion(last, found);
  }

  /** The file is as the store knows it, or gone: no change under way. */
  clear(): void {
    this.#last = undefined;
  }
}
