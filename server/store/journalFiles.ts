// The journal files as the store opens them: a file's lines parsed into entries (a torn last line dropped, any other
// damage refused), which retired generations beside the current file are the emulator's own (journal.ts writes
// them), and the current file made when there is none. What an entry may hold is journalLines.ts's.
import { constants as buffers } from 'node:buffer';
import { constants } from 'node:fs';
import { type FileHandle, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileAccessError } from '../errors.js';
import { syncDirectory } from './durableWrites.js';
import { giveFolderOwner } from './fileOwner.js';
import { type EntryCheck, type JournalLine, entryShapeProblem, entryWeight } from './journalLines.js';
import { CREATE_APPEND, type OwnFiles, READ_APPEND } from './ownFiles.js';
import type { StoreFs } from './storeFs.js';
import { StoreError } from './store.js';

/**
 * A journal's lines parsed as its bytes are read, a line at a time: a whole file read as one string could not be
 * replayed past 512 MiB (V8 makes no longer string), which a journal reaches while compactions fail or before one
 * of a large data file ends, and the start stopped with a stack trace, every acknowledged write in it out of reach.
 * A torn last line (a crash mid-append, never acknowledged) is dropped and reported by offset. A complete line that
 * `check` refuses is damage, like a line that is not JSON.
 */
export class JournalParser {
  readonly entries: JournalLine[] = [];
  /** Bytes up to the end of the last whole entry. */
  validBytes = 0;
  /** Bytes read. */
  bytes = 0;
  private lineNo = 0;
  /** The start of a line whose newline has not been read yet, while it may still be an entry. */
  private rest: Buffer[] = [];
  private restBytes = 0;
  /**
   * The line under way cannot be an entry, so its bytes are not kept: it starts with a NUL byte (JSON never does:
   * a power loss's zeros, however many), or it is longer than any string V8 makes.
   */
  private restDropped = false;
  private restHasNul = false;
  /** A line that is not JSON and holds NUL bytes: torn if it ends the file, damage if anything follows it. */
  private nulLine = false;

  constructor(
    private readonly file: string,
    private readonly check: EntryCheck = entryShapeProblem,
  ) {}

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let start = 0;
    while (start < chunk.length) {
      if (this.nulLine) throw this.damage('');
      const end = chunk.indexOf(0x0a, start);
      this.keep(chunk.subarray(start, end === -1 ? chunk.length : end));
      if (end === -1) return;
      this.endLine();
      start = end + 1;
    }
  }

  /** What the file held: an unended last line, or a NUL-filled one, is a torn tail and left out. */
  end(): { entries: JournalLine[]; validBytes: number } {
    return { entries: this.entries, validBytes: this.validBytes };
  }

  private keep(part: Buffer): void {
    if (this.restBytes === 0 && part[0] === 0) this.restDropped = true;
    this.restBytes += part.length;
    if (part.includes(0)) this.restHasNul = true;
    if (this.restBytes > buffers.MAX_STRING_LENGTH) this.restDropped = true;
    if (this.restDropped) this.rest = [];
    else this.rest.push(part);
  }

  private endLine(): void {
    const bytes = this.restDropped ? undefined : this.rest.length === 1 ? this.rest[0]! : Buffer.concat(this.rest);
    const length = this.restBytes;
    const hasNul = this.restHasNul;
    this.rest = [];
    this.restBytes = 0;
    this.restDropped = false;
    this.restHasNul = false;
    this.lineNo += 1;
    let entry: JournalLine | undefined;
    try {
      entry = bytes === undefined ? undefined : (JSON.parse(bytes.toString('utf8')) as JournalLine);
    } catch {
      entry = undefined;
    }
    if (entry === undefined) {
      // The NUL bytes a power loss leaves where an append's blocks never reached the disk: torn, if nothing follows.
      if (hasNul) {
        this.nulLine = true;
        return;
      }
      // A complete line that is not JSON is damage: dropping it would lose an acknowledged write without a word.
      throw this.damage('');
    }
    // Complete JSON of the wrong shape was written by something else, not torn by a crash: a newer emulator (an op, a
    // field or a collection this one does not know), or damage. Either way it may be an acknowledged write.
    const problem = this.check(entry);
    if (problem !== undefined) throw this.unreadable(problem);
    this.entries.push(entry);
    this.validBytes += length + 1;
  }

  private damage(problem: string): StoreError {
    return new StoreError('corrupt', `The journal ${this.file} is damaged at line ${this.lineNo}${problem}. It was left untouched.`);
  }

  private unreadable(problem: string): StoreError {
    return new StoreError(
      'corrupt',
      `The journal ${this.file} holds at line ${this.lineNo} an entry this emulator does not read (${problem}): written by a newer version of the emulator, or damaged. It was left untouched: the version that wrote it replays it, and removing the journal would lose acknowledged writes.`,
    );
  }
}

/** A journal's text parsed whole (JournalParser). */
export function parseJournal(text: string | Buffer, file: string, check: EntryCheck = entryShapeProblem): { entries: JournalLine[]; validBytes: number } {
  const parser = new JournalParser(file, check);
  parser.push(typeof text === 'string' ? Buffer.from(text) : text);
  return parser.end();
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
interface JournalFiles {
  /** Retired generations, oldest first. */
  retired: number[];
  /** The retired files' entries, oldest first, then the current file's. */
  entries: JournalLine[];
  /** The current file's entries alone. */
  current: JournalLine[];
  /** Bytes of the current file up to its torn tail, if any; `bytes` is all of it. */
  validBytes: number;
  bytes: number;
  /** The current file, open for reading and appending (ownFiles.ts); undefined when there is none yet. */
  handle: FileHandle | undefined;
}

/** Bytes read from a journal's file at a time. */
const READ_BYTES = 1 << 20;

/** One of the journal's files, opened as ownFiles.ts opens them and parsed; undefined when it does not exist. */
async function readOwn(
  file: string,
  flags: number,
  what: string,
  own: OwnFiles,
  fs: StoreFs,
  check: EntryCheck,
): Promise<{ handle: FileHandle; parsed: JournalParser } | undefined> {
  const handle = await own.open(file, flags, what, fs);
  if (handle === undefined) return undefined;
  const parsed = new JournalParser(file, check);
  try {
    for (;;) {
      let read: number;
      const buffer = Buffer.allocUnsafe(READ_BYTES);
      try {
        ({ bytesRead: read } = await handle.read(buffer, 0, READ_BYTES, parsed.bytes));
      } catch (err) {
        throw fileAccessError(err, `Cannot read the ${what} ${file}`) ?? err;
      }
      if (read === 0) return { handle, parsed };
      parsed.push(buffer.subarray(0, read));
    }
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

/** Read the retired files and the current one; the current one's handle is the caller's, to append to or close. */
async function readJournalFiles(file: string, check: EntryCheck, own: OwnFiles, fs: StoreFs): Promise<JournalFiles> {
  const retired = await retiredGenerations(file);
  const entries: JournalLine[] = [];
  for (const generation of retired) {
    const name = `${file}.${generation}`;
    const read = await readOwn(name, constants.O_RDONLY, 'retired journal', own, fs, check);
    await read?.handle.close();
    // A retired file was complete when it was retired; a torn tail can only be a write never acknowledged.
    for (const entry of read?.parsed.entries ?? []) entries.push(entry);
  }
  const read = await readOwn(file, READ_APPEND, 'journal', own, fs, check);
  const current = read?.parsed.end() ?? { entries: [], validBytes: 0 };
  for (const entry of current.entries) entries.push(entry);
  return { retired, entries, current: current.entries, validBytes: current.validBytes, bytes: read?.parsed.bytes ?? 0, handle: read?.handle };
}

/** The journal as journal.ts goes on from it: its entries read, its current file open, a torn tail cut or kept. */
interface OpenedJournal {
  entries: JournalLine[];
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
