// Append-only journal beside the snapshot: one JSON line per change, appended and fdatasync'ed in
// batches (group commit), so a write costs one append plus a share of one fsync, whatever the number of
// stored records. Writes and barriers (snapshot + truncate) run one at a time, in the order they were asked.
import { fdatasync, writeSync } from 'node:fs';
import { open, type FileHandle, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory } from './durableJsonFile.js';
import type { CollectionName, EntityOf } from './types.js';
import { StoreError } from './types.js';

export type JournalEntry =
  | { op: 'put'; c: CollectionName; r: EntityOf<CollectionName> }
  | { op: 'del'; c: CollectionName; id: string };

type Task =
  | { kind: 'append'; line: string; resolve: () => void; reject: (err: unknown) => void }
  | { kind: 'barrier'; run: () => Promise<void>; resolve: () => void; reject: (err: unknown) => void };

/** Parse a journal; a torn last line (a crash mid-append, never acknowledged) is dropped and reported by offset. */
export function parseJournal(text: string, file: string): { entries: JournalEntry[]; validBytes: number } {
  const entries: JournalEntry[] = [];
  let offset = 0;
  let lineNo = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    lineNo += 1;
    const last = end === -1 || end === text.length - 1;
    const line = text.slice(offset, end === -1 ? text.length : end);
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
    entries.push(entry);
    offset = end + 1;
  }
  return { entries, validBytes: Buffer.byteLength(text.slice(0, offset)) };
}

/** write(2) may write less than asked (a full disk, a signal): go on until all of it is written. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
}

export class Journal {
  private queue: Task[] = [];
  private running = false;
  private failure: unknown;
  /** Entries appended since the last truncate: how much replay a restart would cost. */
  entries = 0;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(file: string): Promise<{ journal: Journal; entries: JournalEntry[] }> {
    let text = '';
    let created = false;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      created = true;
    }
    const { entries, validBytes } = parseJournal(text, file);
    if (validBytes < Buffer.byteLength(text)) await truncate(file, validBytes);
    const journal = new Journal(file, await open(file, 'a'));
    // A new file's name is durable only once its folder is synced: without this, the first writes would be
    // acknowledged after fdatasync of a file that a power loss could still take away with its entry.
    if (created) await syncDirectory(path.dirname(file));
    journal.entries = entries.length;
    return { journal, entries };
  }

  append(entry: JournalEntry): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'append', line: `${JSON.stringify(entry)}\n`, resolve, reject }));
  }

  /** Run `task` once every write asked before it is durable, and before any asked after it. */
  barrier(run: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'barrier', run, resolve, reject }));
  }

  /** Empty the journal; only inside a barrier, after the snapshot that covers it is durable. */
  async truncate(): Promise<void> {
    await this.handle.truncate(0);
    await this.handle.sync();
    this.entries = 0;
  }

  async close(): Promise<void> {
    await this.barrier(async () => undefined);
    await this.handle.close();
  }

  private enqueue(task: Task): void {
    if (this.failure !== undefined) {
      task.reject(new StoreError('io', `The journal ${this.file} can no longer be written: ${String(this.failure)}`));
      return;
    }
    this.queue.push(task);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.kind === 'barrier') {
        this.queue.shift();
        await head.run().then(head.resolve, head.reject);
        continue;
      }
      let n = 0;
      while (n < this.queue.length && this.queue[n]!.kind === 'append') n += 1;
      const batch = this.queue.splice(0, n) as Extract<Task, { kind: 'append' }>[];
      try {
        // The append itself only copies into the page cache: done synchronously it costs a few µs and
        // saves a thread-pool round trip per batch; the sync, which waits for the disk, stays off the loop.
        writeAll(this.handle.fd, batch.map((t) => t.line).join(''));
        await new Promise<void>((resolve, reject) => fdatasync(this.handle.fd, (err) => (err ? reject(err) : resolve())));
        this.entries += batch.length;
        for (const t of batch) t.resolve();
      } catch (err) {
        // A failed fsync leaves the page cache state unknown: stop accepting writes rather than guess.
        this.failure = err;
        for (const t of [...batch, ...this.queue.splice(0)]) t.reject(new StoreError('io', `Writing ${this.file} failed: ${String(err)}`));
      }
    }
    this.running = false;
  }
}
