// The journal files as the store opens them: a file's lines parsed into entries (a torn last line dropped, any other
// damage refused), which retired generations beside the current file are the emulator's own (journal.ts writes
// them), and the current file made when there is none. What an entry may hold is journalEntries.ts's.
import { constants } from 'node:fs';
import { type FileHandle, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileAccessError } from '../errors.js';
import { syncDirectory } from './durableJsonFile.js';
import { giveFolderOwner } from './fileOwner.js';
import { type EntryCheck, type JournalEntry, entryShapeProblem, entryWeight } from './journalEntries.js';
import { CREATE_APPEND, type OwnFiles, READ_APPEND } from './ownFiles.js';
import type { StoreFs } from './storeFs.js';
import { StoreError } from './types.js';

/**
 * Parse a journal; a torn last line (a crash mid-append, never acknowledged) is dropped and reported by offset.
 * A complete line that `check` refuses is damage, like a line that is not JSON.
 */
export function parseJournal(text: string, file: string, check: EntryCheck = entryShapeProblem): { entries: JournalEntry[]; validBytes: number } {
  const entries: JournalEntry[] = [];
  let offset = 0;
  let lineNo = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    lineNo += 1;
    const line = text.slice(offset, end === -1 ? text.length : end);
    // Torn: the last line without its newline (a crash mid-append), or ending the file with the NUL bytes a power
    // loss leaves where an append's blocks never reached the disk. A complete line that is not JSON is damage:
    // dropping it would lose an acknowledged write without a word.
    const last = end === -1 || (end === text.length - 1 && line.includes('\u0000'));
    let entry: JournalEntry | undefined;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      entry = undefined;
    }
    if (entry === undefined || end === -1) {
      if (last) break; // torn tail
      throw new StoreError('corrupt', `The journal ${file} is damaged at line ${lineNo}. It was left untouched.`);
    }
    // Complete JSON of the wrong shape was written by something else: damage, not a torn append.
    const problem = check(entry);
    if (problem !== undefined) throw new StoreError('corrupt', `The journal ${file} is damaged at line ${lineNo}: ${problem}. It was left untouched.`);
    entries.push(entry);
    offset = end + 1;
  }
  return { entries, validBytes: Buffer.byteLength(text.slice(0, offset)) };
}

/**
 * A retired generation's suffix as the emulator writes it: a count from 1, without leading zeros, and far
 * below what a date (`db.json.journal.20261201`) or a timestamp reads as. A retired file is removed once a
 * snapshot covers it, so generations stay small: reaching a million would take a million compactions in a
 * row whose removals all failed.
 */
const GENERATION = /^[1-9]\d{0,5}$/;

/** The generations of retired journals beside `file` (`<file>.<n>`), oldest first; other names are never touched. */
export async function retiredGenerations(file: string): Promise<number[]> {
  const prefix = `${path.basename(file)}.`;
  return (await readdir(path.dirname(file)))
    .filter((name) => name.startsWith(prefix) && GENERATION.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}

/** What the journal files of `file` hold when it opens: journal.ts replays `entries` and goes on writing the current file. */
export interface JournalFiles {
  /** Retired generations, oldest first. */
  retired: number[];
  /** The retired files' entries, oldest first, then the current file's. */
  entries: JournalEntry[];
  /** The current file's entries alone. */
  current: JournalEntry[];
  /** Bytes of the current file up to its torn tail, if any; `bytes` is all of it. */
  validBytes: number;
  bytes: number;
  /** The current file, open for reading and appending (ownFiles.ts); undefined when there is none yet. */
  handle: FileHandle | undefined;
}

/** The text of one of the journal's files, opened as ownFiles.ts opens them; undefined when it does not exist. */
async function readOwn(file: string, flags: number, what: string, own: OwnFiles, fs: StoreFs): Promise<{ handle: FileHandle; text: string } | undefined> {
  const handle = await own.open(file, flags, what, fs);
  if (handle === undefined) return undefined;
  try {
    return { handle, text: await handle.readFile('utf8') };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw fileAccessError(err, `Cannot read the ${what} ${file}`) ?? err;
  }
}

/** Read the retired files and the current one; the current one's handle is the caller's, to append to or close. */
export async function readJournalFiles(file: string, check: EntryCheck, own: OwnFiles, fs: StoreFs): Promise<JournalFiles> {
  const retired = await retiredGenerations(file);
  const entries: JournalEntry[] = [];
  for (const generation of retired) {
    const name = `${file}.${generation}`;
    const read = await readOwn(name, constants.O_RDONLY, 'retired journal', own, fs);
    await read?.handle.close();
    // A retired file was complete when it was retired; a torn tail can only be a write never acknowledged.
    for (const entry of parseJournal(read?.text ?? '', name, check).entries) entries.push(entry);
  }
  const read = await readOwn(file, READ_APPEND, 'journal', own, fs);
  const text = read?.text ?? '';
  try {
    const current = parseJournal(text, file, check);
    for (const entry of current.entries) entries.push(entry);
    return { retired, entries, current: current.entries, validBytes: current.validBytes, bytes: Buffer.byteLength(text), handle: read?.handle };
  } catch (err) {
    await read?.handle.close().catch(() => undefined);
    throw err;
  }
}

/** The journal as journal.ts goes on from it: its entries read, its current file open, a torn tail cut or kept. */
export interface OpenedJournal {
  entries: JournalEntry[];
  retired: number[];
  handle: FileHandle;
  /** The length of the current file that every acknowledged write lies within. */
  validBytes: number;
  /** The open made the current file (there was none). */
  made: boolean;
  /** A torn tail is still in the current file: kept because the caller asked to cut it later. */
  torn: boolean;
  /** What replaying the current file's entries costs (entryWeight). */
  currentWeight: number;
}

/**
 * Read the journal's files and hold its current file open, making it when there is none. A torn tail is cut off at
 * once, or kept with `cutLater`: a start refused after the open must leave every file as it was.
 */
export async function openJournalFiles(file: string, check: EntryCheck, own: OwnFiles, fs: StoreFs, cutLater: boolean): Promise<OpenedJournal> {
  const found = await readJournalFiles(file, check, own, fs);
  const torn = found.validBytes < found.bytes;
  const handle = found.handle ?? (await makeJournalFile(file, own, fs));
  if (torn && !cutLater) {
    await handle.truncate(found.validBytes).catch(async (err: unknown) => {
      await handle.close();
      throw err;
    });
  }
  return {
    entries: found.entries,
    retired: found.retired,
    handle,
    validBytes: found.validBytes,
    made: found.handle === undefined,
    torn: torn && cutLater,
    currentWeight: found.current.reduce((sum, entry) => sum + entryWeight(entry), 0),
  };
}

/**
 * A new current file: it belongs to whoever owns the data folder (fileOwner.ts), and its name is durable before
 * it takes a write (without the folder's sync, the first writes would be acknowledged after fdatasync of a file
 * that a power loss could still take away with its entries). A failure leaves nothing open, and no file.
 */
async function makeJournalFile(file: string, own: OwnFiles, fs: StoreFs): Promise<FileHandle> {
  const handle = (await own.open(file, CREATE_APPEND, 'journal', fs))!;
  try {
    await giveFolderOwner(handle, file);
    await syncDirectory(path.dirname(file), fs);
    return handle;
  } catch (err) {
    // It was not there a moment ago, under the lock: a refused start leaves no empty journal.
    await handle.close().catch(() => undefined);
    await fs.rm(file, { force: true }).catch(() => undefined);
    throw err;
  }
}
