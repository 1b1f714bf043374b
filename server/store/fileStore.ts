// File-backed store: a lowdb JSON snapshot (`DATA_FILE`) plus an append-only journal (`DATA_FILE.journal`).
// A write is applied in memory, appended to the journal and acknowledged after the batch's fdatasync.
// The snapshot is rewritten (durably, via lowdb) only on open, on reset, on close, and when the journal
// holds more entries than max(compactMinEntries, records in the last snapshot): the snapshots grow
// geometrically, so the amortised cost per write stays constant however much data is stored.
// A compaction retires the journal, writes the snapshot while writes go on into a fresh journal, then
// removes the retired file (journal.ts). Opening replays the journals over the snapshot; entries are
// idempotent upserts and deletes, so a crash between the snapshot and the removal replays harmlessly.
import { Low } from 'lowdb';
import path from 'node:path';
import { Collections, normaliseDataset } from './collections.js';
import { RecordLines, checkDataset, datasetLines, parseDataset } from './dataFileFormat.js';
import { DurableJSONFile } from './durableJsonFile.js';
import { usableDataFile } from './dataFilePath.js';
import { StateReads } from './stateReads.js';
import { Journal } from './journal.js';
import { journalEntryProblem } from './journalEntries.js';
import { type FileLock, acquireLock } from './lock.js';
import { COLLECTION_NAMES } from '../collections.js';
import { fileAccessError } from '../errors.js';
import { type CollectionName, type Dataset, type EntityOf, type Store, StoreError, emptyDataset } from './types.js';

export interface FileStoreOptions {
  /** Journal entries tolerated before a compaction is considered. */
  compactMinEntries?: number;
}

function recordCount(data: Dataset): number {
  return COLLECTION_NAMES.reduce((sum, name) => sum + data[name].length, 0);
}

export class FileStore extends StateReads implements Store {
  /** Compactions run one after another: the last one asked, settled either way. */
  private compaction: Promise<void> = Promise.resolve();
  /** The snapshot a compaction is writing, once past its rotation. */
  private writing: Promise<void> = Promise.resolve();
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
    try {
      return await FileStore.openAt(await usableDataFile(file), options);
    } catch (err) {
      // A refusal of the system (permissions, a read-only or full disk) as one line naming the file.
      throw fileAccessError(err, `Cannot open the data file ${path.resolve(file)}`) ?? err;
    }
  }

  /** Open the data file at its real path (dataFilePath.ts). */
  private static async openAt(location: string, options: FileStoreOptions): Promise<FileStore> {
    const lock = await acquireLock(location);
    try {
      const adapter = new DurableJSONFile<Dataset>(location, datasetLines, parseDataset, () => new RecordLines());
      const raw = await adapter.read();
      const problem = raw === null ? undefined : checkDataset(raw);
      if (problem) throw new StoreError('corrupt', `The data file ${location} is not an emulator data file: ${problem}. It was left untouched.`);
      const db = new Low<Dataset>(adapter, emptyDataset());
      const loaded = raw === null ? emptyDataset() : normaliseDataset(raw);
      const state = new Collections(loaded);
      // Every entry's shape and record are checked before any is applied: a bad one stops the start, data untouched.
      const { journal, entries } = await Journal.open(`${location}.journal`, journalEntryProblem);
      for (const entry of entries) {
        if (entry.op === 'put') state.of(entry.c).put(entry.r);
        else state.of(entry.c).delete(entry.id);
      }
      const store = new FileStore(location, db, state, journal, lock, options.compactMinEntries ?? 10_000, raw === null && entries.length === 0);
      store.snapshotRecords = recordCount(loaded);
      if (journal.pending) await store.compact();
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
    // A reset is one step: the writes asked after it wait (inside the rotation's barrier) until its snapshot is
    // durable, so a crash never replays them over the data from before the reset. A compaction's snapshot being
    // written is finished first: the two must not overtake each other.
    const covered = await this.journal.rotate(async () => {
      await this.writing;
      await this.writeSnapshot();
    });
    await this.journal.discardRetired(covered);
  }

  async close(): Promise<void> {
    await this.compaction;
    if (this.journal.pending) await this.compact();
    await this.journal.close();
    await this.lock.release();
  }

  private maybeCompact(): void {
    if (this.compacting || this.journal.entries < Math.max(this.compactMinEntries, this.snapshotRecords)) return;
    this.compacting = true;
    // Not awaited by the request that crossed the threshold: its own write is already durable. A failed
    // compaction leaves its retired journal in place; the next one covers it.
    this.compact()
      .catch(() => undefined)
      .finally(() => (this.compacting = false));
  }

  private compact(): Promise<void> {
    const run = this.compaction.then(() => this.compactNow());
    this.compaction = run.catch(() => undefined);
    return run;
  }

  /** Retire the journal, snapshot everything in memory (a superset of what it held), then drop it. */
  private async compactNow(): Promise<void> {
    const covered = await this.journal.rotate();
    const written = this.writeSnapshot();
    this.writing = written.catch(() => undefined);
    await written;
    await this.journal.discardRetired(covered);
  }

  private async writeSnapshot(): Promise<void> {
    // Records are replaced on update, never changed in place: this copy of the arrays stays the state of
    // this moment while the snapshot is written piece by piece and writes go on.
    const snapshot = this.state.toDataset();
    this.db.data = snapshot;
    try {
      await this.db.write();
    } finally {
      // lowdb's copy would otherwise keep every record this snapshot held alive after updates replace them.
      this.db.data = emptyDataset();
    }
    this.snapshotRecords = recordCount(snapshot);
  }
}
