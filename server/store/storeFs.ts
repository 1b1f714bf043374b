// The file operations the store writes through: the journal's appends, syncs and rotations, the snapshot's and
// the stored datasets' files. One small seam so that a test can hand the store a disk that fails on demand
// (tests/support/failingFs.ts) and prove that a failed write changes nothing; everything else uses Node's own.
import { fdatasync, writeSync } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, rm } from 'node:fs/promises';

export interface StoreFs {
  /** Handles whose writeFile, sync, datasync, truncate and close the store calls. */
  open(file: string, flags: string): Promise<FileHandle>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { force: boolean }): Promise<void>;
  mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
  readdir(dir: string): Promise<string[]>;
  /** The journal's append: synchronous, into the page cache (journal.ts says why). */
  writeSync(fd: number, bytes: Uint8Array, offset: number): number;
  fdatasync(fd: number, callback: (err: NodeJS.ErrnoException | null) => void): void;
}

export const nodeFs: StoreFs = {
  open: (file, flags) => open(file, flags),
  rename,
  rm,
  mkdir,
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
