// Whether the journal's current file is still the one at its name. A file removed or replaced while the emulator
// runs (a clean-up of the data folder, a copy put back) keeps taking appends and syncs through its descriptor, but no
// restart reads it: what it acknowledged must go to a new file at the name (journal.ts reinstate) before anything
// more counts as durable. A stat on the loop before and after each synced batch, about a microsecond each.
import { fstatSync, lstatSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** A file told apart from another: its device and inode. */
export type FileId = { dev: number; ino: number };

export const fileIdOf = (handle: FileHandle): FileId => fstatSync(handle.fd);

/** The current file is no longer at the journal's name: a refusal whose repair is a new file. */
export class UnnamedJournal extends Error {}

/** Why `current` is no longer the file at `file` (removed, or replaced), or undefined while it is. */
export function unnamedJournal(file: string, current: FileId): UnnamedJournal | undefined {
  let found: FileId;
  try {
    found = lstatSync(file);
  } catch (err) {
    // Another failure (the folder unreadable for a moment) says nothing of the file: the next look tells.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    return new UnnamedJournal(`${path.basename(file)} was removed while the emulator ran`);
  }
  if (found.dev === current.dev && found.ino === current.ino) return undefined;
  return new UnnamedJournal(`${path.basename(file)} was replaced by another file while the emulator ran`);
}

/** The first `length` bytes of `handle`: what it acknowledged. */
export async function readAcknowledged(handle: FileHandle, length: number, file: string): Promise<Buffer> {
  const bytes = Buffer.alloc(length);
  for (let at = 0; at < length; ) {
    const { bytesRead } = await handle.read(bytes, at, length - at, at);
    if (bytesRead === 0) throw new Error(`${path.basename(file)} is shorter than what it acknowledged`);
    at += bytesRead;
  }
  return bytes;
}
