// File-backed store: a lowdb JSON snapshot (`DATA_FILE`) plus an append-only journal (`DATA_FILE.journal`).
// A write is applied in memory, appended to the journal and acknowledged after the batch's fdatasync.
// The snapshot is rewritten (durably, via lowdb) only on open, on reset, on close, and when the journal
// holds more entries than max(compactMinEntries, records in the last snapshot): the snapshots grow
// geometrically, so the amortised cost per write stays constant however much data is stored.
// A compaction retires the journal, writes the snapshot while writes go on into a fresh journal, then
// removes the retired file (journal.ts). Opening replays the journals over the snapshot; entries are
// idempotent upserts and deletes, so a crash between the snapshot and the removal replays harmlessly.
// Every tenant lives in the same snapshot and journal (tenants.ts); this object is the default tenant's store.
import { Low } from 'lowdb';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_TENANT_ID } from '../tenantIds.js';
import { Collections, checkDataset, normaliseDataset } from './collections.js';
import { type DataFile, RecordLines, datasetLines, parseDataset } from './dataFileFormat.js';
import { DurableJSONFile } from './durableJsonFile.js';
import { Journal, type JournalEntry } from './journal.js';
import { type FileLock, acquireLock } from './lock.js';
import { COLLECTION_NAMES } from '../collections.js';
import { type Persistence, TenantSet, TenantStore } from './tenants.js';
import { type Dataset, StoreError, emptyDataset } from './types.js';

export interface FileStoreOptions {
  /** Journal entries tolerated before a compaction is considered. */
  compactMinEntries?: number;
}

/** Records in a data file, every tenant's. */
function recordCount(data: Partial<DataFile>): number {
  const count = (dataset: Partial<Dataset>) => COLLECTION_NAMES.reduce((sum, name) => sum + (dataset[name]?.length ?? 0), 0);
  return Object.values(data.tenants ?? {}).reduce((sum, tenant) => sum + count(tenant), count(data));
}

export class FileStore extends TenantStore implements Persistence {
  /** Compactions run one after another: the last one asked, settled either way. */
  private compaction: Promise<void> = Promise.resolve();
  /** The snapshot a compaction is writing, once past its rotation. */
  private writing: Promise<void> = Promise.resolve();
  private compacting = false;
  /** Records written by the last compaction: the journal may grow to this many entries before the next. */
  private snapshotRecords = 0;

  private constructor(
    location: string,
    private readonly db: Low<DataFile>,
    state: Collections,
    private readonly journal: Journal,
    private readonly lock: FileLock,
    private readonly compactMinEntries: number,
    /** True when neither a snapshot nor a journal existed: the caller may seed fixtures. */
    readonly fresh: boolean,
  ) {
    super(new TenantSet(location), DEFAULT_TENANT_ID, state);
    this.tenants.attach(this, this);
  }

  static async open(file: string, options: FileStoreOptions = {}): Promise<FileStore> {
    const location = path.resolve(file);
    await mkdir(path.dirname(location), { recursive: true });
    const lock = await acquireLock(location);
    try {
      const adapter = new DurableJSONFile<DataFile>(location, datasetLines, parseDataset, () => new RecordLines());
      const raw = await adapter.read();
      const problem = raw === null ? undefined : checkDataset(raw);
      if (problem) throw new StoreError('corrupt', `The data file ${location} is not an emulator data file: ${problem}. It was left untouched.`);
      const db = new Low<DataFile>(adapter, emptyDataset());
      const { journal, entries } = await Journal.open(`${location}.journal`);
      const fresh = raw === null && entries.length === 0;
      const store = new FileStore(
        location,
        db,
        new Collections(raw === null ? emptyDataset() : normaliseDataset(raw)),
        journal,
        lock,
        options.compactMinEntries ?? 10_000,
        fresh,
      );
      for (const [id, dataset] of Object.entries(raw?.tenants ?? {})) store.tenants.restore(id, dataset);
      for (const entry of entries) store.tenants.replay(entry);
      store.snapshotRecords = raw === null ? 0 : recordCount(raw);
      if (journal.pending) await store.compact();
      return store;
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  async persist(entry: JournalEntry): Promise<void> {
    await this.journal.append(entry);
    this.maybeCompact();
  }

  async persistAll(): Promise<void> {
    // A reset is one step: the writes asked after it wait (inside the rotation's barrier) until its snapshot is
    // durable, so a crash never replays them over the data from before the reset. A compaction's snapshot being
    // written is finished first: the two must not overtake each other.
    const covered = await this.journal.rotate(async () => {
      await this.writing;
      await this.writeSnapshot();
    });
    await this.journal.discardRetired(covered);
  }

  async release(): Promise<void> {
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
    const snapshot = this.tenants.toDataFile();
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
