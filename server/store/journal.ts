// Append-only journal beside the snapshot: one JSON line per change, appended and fdatasync'ed in
// batches (group commit), so a write costs one append plus a share of one fsync, whatever the number of
// stored records. Writes and barriers run one at a time, in the order they were asked.
//
// A compaction does not stop the writes while the snapshot is written: it rotates the journal (a short
// barrier: `db.json.journal` is renamed to `db.json.journal.<n>` and a fresh one takes its place), writes
// the snapshot while new writes go to the fresh file, then discards the retired files. Opening replays
// the retired files, oldest first, then the current one.
import { fdatasync, writeSync } from 'node:fs';
import { open, type FileHandle, readFile, readdir, rename, rm, truncate } from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory } from './durableJsonFile.js';
import type { CollectionName, Dataset, EntityOf } from './types.js';
import { StoreError } from './types.js';

/**
 * One line of the journal. `t` names the tenant (absent: the default tenant, as in journals written before
 * there were tenants). A tenant is added with all its records in one entry, so a torn line never leaves half of
 * it, and dropped with one.
 */
export type JournalEntry =
  | { op: 'put'; t?: string; c: CollectionName; r: EntityOf<CollectionName> }
  | { op: 'del'; t?: string; c: CollectionName; id: string }
  | { op: 'tenant'; t: string; d: Dataset }
  | { op: 'drop'; t: string };

type Task =
  | { kind: 'append'; line: string; weight: number; resolve: () => void; reject: (err: unknown) => void }
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

/** What an entry costs to replay: its records. */
function weightOf(entry: JournalEntry): number {
  if (entry.op !== 'tenant') return 1;
  let records = 1;
  for (const list of Object.values(entry.d)) records += list.length;
  return records;
}

/** write(2) may write less than asked (a full disk, a signal): go on until all of it is written. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
}

/** The generations of retired journals beside `file` (`<file>.<n>`), oldest first. */
export async function retiredGenerations(file: string): Promise<number[]> {
  const prefix = `${path.basename(file)}.`;
  return (await readdir(path.dirname(file)))
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}

export class Journal {
  private queue: Task[] = [];
  private running = false;
  private failure: unknown;
  private discarding: Promise<void> = Promise.resolve();
  /**
   * Records in the entries appended to the current file (a tenant's entry counts its records): how much replay
   * a restart would cost beyond the retired files.
   */
  entries = 0;

  private constructor(
    readonly file: string,
    private handle: FileHandle,
    /** Retired files not yet covered by a durable snapshot, oldest first. */
    private retired: number[],
  ) {}

  static async open(file: string): Promise<{ journal: Journal; entries: JournalEntry[] }> {
    const retired = await retiredGenerations(file);
    const entries: JournalEntry[] = [];
    for (const generation of retired) {
      const name = `${file}.${generation}`;
      // A retired file was complete when it was retired; a torn tail can only be a write never acknowledged.
      for (const entry of parseJournal(await readFile(name, 'utf8'), name).entries) entries.push(entry);
    }
    let text = '';
    let created = false;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      created = true;
    }
    const current = parseJournal(text, file);
    if (current.validBytes < Buffer.byteLength(text)) await truncate(file, current.validBytes);
    for (const entry of current.entries) entries.push(entry);
    const journal = new Journal(file, await open(file, 'a'), retired);
    // A new file's name is durable only once its folder is synced: without this, the first writes would be
    // acknowledged after fdatasync of a file that a power loss could still take away with its entry.
    if (created) await syncDirectory(path.dirname(file));
    journal.entries = current.entries.reduce((sum, entry) => sum + weightOf(entry), 0);
    return { journal, entries };
  }

  /** True when a restart would replay anything. */
  get pending(): boolean {
    return this.entries > 0 || this.retired.length > 0;
  }

  append(entry: JournalEntry): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'append', line: `${JSON.stringify(entry)}\n`, weight: weightOf(entry), resolve, reject }));
  }

  /** Run `task` once every write asked before it is durable, and before any asked after it. */
  barrier(run: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'barrier', run, resolve, reject }));
  }

  /**
   * Retire the current file once every write asked before is durable, and go on in a fresh one; `during`,
   * if given, runs next inside the same barrier (writes asked meanwhile wait for it). Resolves with the
   * generation retired: a snapshot of the state taken after this covers it and every older one.
   */
  async rotate(during?: () => Promise<void>): Promise<number> {
    let generation = 0;
    await this.barrier(async () => {
      generation = (this.retired.at(-1) ?? 0) + 1;
      try {
        await rename(this.file, `${this.file}.${generation}`);
        const fresh = await open(this.file, 'a');
        // The rename and the new name are durable before anything written to the fresh file is acknowledged.
        await syncDirectory(path.dirname(this.file));
        const old = this.handle;
        this.handle = fresh;
        this.retired.push(generation);
        this.entries = 0;
        await old.close();
      } catch (err) {
        // Half a rotation leaves no file that new writes could safely go to.
        this.failure = err;
        throw err;
      }
      await during?.();
    });
    return generation;
  }

  /**
   * Remove the retired files up to `generation`, once a durable snapshot covers them. Oldest first, each
   * removal synced, one call after the other: whatever a crash leaves is a run of the newest retired files,
   * which replays correctly over that snapshot (an older file alone could bring back values a newer changed).
   */
  discardRetired(generation: number): Promise<void> {
    const run = this.discarding.then(async () => {
      while (this.retired.length > 0 && this.retired[0]! <= generation) {
        await rm(`${this.file}.${this.retired[0]}`, { force: true });
        await syncDirectory(path.dirname(this.file));
        this.retired.shift();
      }
    });
    this.discarding = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.barrier(async () => undefined);
    await this.handle.close();
  }

  private enqueue(task: Task): void {
    if (this.failure !== undefined) {
      task.reject(this.refusal());
      return;
    }
    this.queue.push(task);
    if (!this.running) void this.drain();
  }

  private refusal(): StoreError {
    return new StoreError('io', `The journal ${this.file} can no longer be written: ${String(this.failure)}`);
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      // A failed rotation leaves writes that were already waiting with no safe file to go to.
      if (this.failure !== undefined) {
        for (const t of this.queue.splice(0)) t.reject(this.refusal());
        break;
      }
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
        for (const t of batch) this.entries += t.weight;
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
