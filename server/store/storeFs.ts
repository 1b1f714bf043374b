// The file operations the store writes through: the journal's appends, syncs and rotations, the snapshot's and
// the stored datasets' files. One small seam so that a test can hand the store a disk that fails on demand
// (tests/support/failingFs.ts) and prove that a failed write changes nothing; everything else uses Node's own.
import { fdatasync, writeSync } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { StoreError } from '../errors.js';

/**
 * The mode of a file the store makes (the journal, a stored dataset, a first data file) and of a folder it makes, before
 * the umask narrows them: never writable by others, whatever the umask (`umask 000` made the journal 0666, and any
 * local user could append a record that the next start replayed). Readable by all, as the data of a compose stack's
 * volume is read by its other services (docs/docker.md).
 */
export const NEW_FILE_MODE = 0o644;
export const NEW_FOLDER_MODE = 0o755;

export interface StoreFs {
  /** Handles whose writeFile, sync, truncate and close the store calls; `flags` as open(2) takes them, or fs's letters. */
  open(file: string, flags: string | number, mode?: number): Promise<FileHandle>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { force: boolean }): Promise<void>;
  mkdir(dir: string, options: { recursive: true; mode?: number }): Promise<unknown>;
  /** Remove an empty folder (fails on one that is not). */
  rmdir(dir: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  /** The journal's append: synchronous, into the page cache (journal.ts says why). */
  writeSync(fd: number, bytes: Uint8Array, offset: number): number;
  fdatasync(fd: number, callback: (err: NodeJS.ErrnoException | null) => void): void;
}

export const nodeFs: StoreFs = {
  open: (file, flags, mode) => open(file, flags, mode),
  rename,
  rm,
  mkdir,
  rmdir: (dir) => rmdir(dir),
  readdir: (dir) => readdir(dir),
  writeSync: (fd, bytes, offset) => writeSync(fd, bytes, offset),
  fdatasync,
};

/**
 * What failed, for a 503's message and the health answer: the operation, the file's name and the system's
 * reason, never the absolute path (health is open even with ADMIN_TOKEN).
 */
export function describeFailure(doing: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  // Node's messages quote the paths involved: keep only their last segment.
  const reason = message.replace(/'([^']*)'/g, (_m, quoted: string) => `'${quoted.split(/[\\/]/).pop()}'`);
  return `${doing} failed: ${code !== undefined && !reason.startsWith(code) ? `${code}: ` : ''}${reason}`;
}

/**
 * The last disk operation outside the journal that failed (a stored dataset, the baseline list, a snapshot), for
 * health, until a write of any kind succeeds: the store is degraded while the last write it tried failed.
 */
export class DiskFailures {
  last: string | undefined;

  /** Run a disk operation; its failure becomes a StoreError('io') naming it (a 503), and `last`. */
  async attempt<T>(doing: string, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      this.last = undefined;
      return result;
    } catch (err) {
      if (err instanceof StoreError && err.kind !== 'io') throw err;
      this.last = err instanceof StoreError ? err.message : describeFailure(doing, err);
      throw new StoreError('io', this.last);
    }
  }
}
