// File-backed store: a lowdb JSON snapshot (`DATA_FILE`) plus an append-only journal (`DATA_FILE.journal`).
// A write is applied in memory, appended to the journal and acknowledged after the batch's fdatasync.
// The snapshot is rewritten (durably, via lowdb) only on open, on reset, on close, and when the journal
// holds more entries than max(compactMinEntries, records in the last snapshot): the snapshots grow
// geometrically, so the amortised cost per write stays constant however much data is stored. Opening replays the journal over the snapshot; entries are idempotent upserts
// and deletes, so a crash between snapshot and truncate replays harmlessly.
import { Low } from 'lowdb';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Collections, checkDataset, normaliseDataset } from './collections.js';
import { DurableJSONFile } from './durableJsonFile.js';
import { StateReads } from './stateReads.js';
import { Journal } from './journal.js';
import { type FileLock, acquireLock } from './lock.js';
import { type CollectionName, type Dataset, type EntityOf, type Store, StoreError, emptyDataset } from './types.js';

export interface FileStoreOptions {
  /** Journal entries tolerated before a compaction is considered. */
  compactMinEntries?: number;
}

/** One record per line: readable, diffable, and still plain JSON for lowdb and for people. */
export function serializeDataset(data: Dataset): string {
  const list = (records: readonly object[]) =>
    records.length === 0 ? '[]' : `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]`;
  return `{\n"accessPackages": ${list(data.accessPackages)},\n"accessPackageCatalogs": ${list(data.accessPackageCatalogs)}\n}\n`;
}

/**
 * Read a data file. A file in serializeDataset's layout is parsed one record line at a time, which halves
 * the time and the peak memory of one JSON.parse over the whole text (no copy of the file as one string);
 * anything else (hand-edited, pretty-printed) goes through JSON.parse, whose error names the problem.
 */
export function parseDataset(bytes: Buffer): unknown {
  return parseRecordLines(bytes) ?? JSON.parse(bytes.toString('utf8'));
}

const NEWLINE = 0x0a;

function parseRecordLines(bytes: Buffer): Record<string, unknown[]> | undefined {
  const lines: [number, number][] = [];
  for (let start = 0; start < bytes.length; ) {
    const end = bytes.indexOf(NEWLINE, start);
    lines.push([start, end === -1 ? bytes.length : end]);
    start = end === -1 ? bytes.length : end + 1;
  }
  const text = (i: number) => bytes.toString('utf8', lines[i]![0], lines[i]![1]);
  if (lines.length < 2 || text(0) !== '{' || text(lines.length - 1) !== '}') return undefined;
  const data: Record<string, unknown[]> = {};
  let i = 1;
  while (i < lines.length - 1) {
    const head = /^"(\w+)": \[(\],?)?$/.exec(text(i));
    if (!head) return undefined;
    const records: unknown[] = [];
    data[head[1]!] = records;
    i += 1;
    if (head[2] !== undefined) continue;
    for (; i < lines.length - 1; i += 1) {
      const [start, end] = lines[i]!;
      if (bytes[start] !== 0x7b) break; // not '{': the closing bracket
      try {
        records.push(JSON.parse(bytes.toString('utf8', start, bytes[end - 1] === 0x2c ? end - 1 : end)));
      } catch {
        return undefined;
      }
    }
    if (!/^\],?$/.test(text(i))) return undefined;
    i += 1;
  }
  return data;
}

function recordCount(data: Dataset): number {
  return data.accessPackages.length + data.accessPackageCatalogs.length;
}

export class FileStore extends StateReads implements Store {
  private compacting = false;
  /** Records written by the last compaction: the journal may grow to this many entries before the next. */
  private snapshotRecords = 0;

  private constructor(
    readonly location: string,
    private readonly db: Low<Dataset>,
    state: Collections,
    private readonly journal: Journal,
    private readonly lock: FileLock,
    private readonly compactMinEntries: number,
    /** True when neither a snapshot nor a journal existed: the caller may seed fixtures. */
    readonly fresh: boolean,
  ) {
    super(state);
  }

  static async open(file: string, options: FileStoreOptions = {}): Promise<FileStore> {
    const location = path.resolve(file);
    await mkdir(path.dirname(location), { recursive: true });
    const lock = await acquireLock(location);
    try {
      const adapter = new DurableJSONFile<Dataset>(location, serializeDataset, parseDataset);
      const raw = await adapter.read();
      const problem = raw === null ? undefined : checkDataset(raw);
      if (problem) throw new StoreError('corrupt', `The data file ${location} is not an emulator data file: ${problem}. It was left untouched.`);
      const db = new Low<Dataset>(adapter, emptyDataset());
      const loaded = raw === null ? emptyDataset() : normaliseDataset(raw);
      const state = new Collections(loaded);
      const { journal, entries } = await Journal.open(`${location}.journal`);
      for (const entry of entries) {
        if (entry.op === 'put') state.of(entry.c).put(entry.r);
        else state.of(entry.c).delete(entry.id);
      }
      const store = new FileStore(location, db, state, journal, lock, options.compactMinEntries ?? 10_000, raw === null && entries.length === 0);
      store.snapshotRecords = recordCount(loaded);
      if (entries.length > 0) await journal.barrier(() => store.compact());
      return store;
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  async create<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<void> {
    this.state.of(collection).insert(record);
    await this.journal.append({ op: 'put', c: collection, r: record });
    this.maybeCompact();
  }

  async update<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<boolean> {
    if (!this.state.of(collection).replace(record)) return false;
    await this.journal.append({ op: 'put', c: collection, r: record });
    this.maybeCompact();
    return true;
  }

  async remove(collection: CollectionName, id: string): Promise<boolean> {
    if (!this.state.of(collection).delete(id)) return false;
    await this.journal.append({ op: 'del', c: collection, id });
    this.maybeCompact();
    return true;
  }

  async replaceAll(dataset: Dataset): Promise<void> {
    this.state.replaceAll(dataset);
    await this.journal.barrier(() => this.compact());
  }

  async close(): Promise<void> {
    if (this.journal.entries > 0) await this.journal.barrier(() => this.compact());
    await this.journal.close();
    await this.lock.release();
  }

  private maybeCompact(): void {
    if (this.compacting || this.journal.entries < Math.max(this.compactMinEntries, this.snapshotRecords)) return;
    this.compacting = true;
    // Not awaited by the request that crossed the threshold: its own write is already durable.
    this.journal.barrier(() => this.compact()).catch(() => undefined).finally(() => (this.compacting = false));
  }

  /** Snapshot everything in memory (a superset of what the journal holds), then empty the journal. */
  private async compact(): Promise<void> {
    const snapshot = this.state.toDataset();
    this.db.data = snapshot;
    try {
      await this.db.write();
    } finally {
      // lowdb's copy would otherwise keep every record this snapshot held alive after updates replace them.
      this.db.data = emptyDataset();
    }
    this.snapshotRecords = recordCount(snapshot);
    await this.journal.truncate();
  }
}
