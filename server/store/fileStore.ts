// File-backed store: a lowdb JSON snapshot (`DATA_FILE`) plus an append-only journal (`DATA_FILE.journal`).
// A write is appended to the journal and applied in memory right after the batch's fdatasync, then
// acknowledged: nothing is visible before it is on disk, and a write the disk refused is never applied (it
// answers 503, and the journal is cut back so that no restart replays it). Writes not yet durable are checked
// against each other (pendingWrites.ts) while readers see only durable data.
// A reset is one journal entry naming a stored dataset (datasetFiles.ts), written once however often the same
// fixtures are put back; named baselines are stored datasets too, listed in `DATA_FILE.datasets/baselines.json`.
// The snapshot is rewritten (durably, via lowdb) only on open, on close, and when the journal holds more
// entries than max(compactMinEntries, records in the last snapshot): the snapshots grow geometrically, so the
// amortised cost per write stays constant however much data is stored. A compaction retires the journal,
// writes the snapshot while writes go on into a fresh journal, then removes the retired file (journal.ts).
// Opening replays the journals over the snapshot; entries are idempotent upserts, deletes and resets, so a
// crash between the snapshot and the removal replays harmlessly.
import { Low } from 'lowdb';
import path from 'node:path';
import { COLLECTION_NAMES } from '../collections.js';
import { fileAccessError } from '../errors.js';
import { BaselineIndex } from './baselineIndex.js';
import { type Baseline, Baselines, StoreWithBaselines } from './baselines.js';
import { Collections, normaliseDataset } from './collections.js';
import { RecordLines, checkDataset, datasetLines, parseDataset } from './dataFileFormat.js';
import { usableDataFile } from './dataFilePath.js';
import { DatasetFiles } from './datasetFiles.js';
import { shiftDates } from './dateShift.js';
import { DurableJSONFile } from './durableJsonFile.js';
import { Journal, type JournalEntry } from './journal.js';
import { journalEntryProblem } from './journalEntries.js';
import { type FileLock, acquireLock } from './lock.js';
import { PendingWrites } from './pendingWrites.js';
import { DiskFailures, type StoreFs, nodeFs } from './storeFs.js';
import { type CollectionName, type Dataset, type EntityOf, type Store, StoreError, emptyDataset } from './types.js';

export interface FileStoreOptions {
  /** Journal entries tolerated before a compaction is considered. */
  compactMinEntries?: number;
  /** The disk the store writes through (a test's failing one); Node's own by default. */
  fs?: StoreFs;
}

/** A failed background compaction is tried again after this, doubling up to COMPACTION_RETRY_MAX_MS. */
const COMPACTION_RETRY_MS = 1000;
const COMPACTION_RETRY_MAX_MS = 60_000;

/** What open() reads and opens, handed to the constructor. */
interface Opened {
  location: string;
  fresh: boolean;
  db: Low<Dataset>;
  state: Collections;
  journal: Journal;
  files: DatasetFiles;
  index: BaselineIndex;
  failures: DiskFailures;
  baselines: readonly Baseline[];
  lock: FileLock;
  compactMinEntries: number;
}

function recordCount(data: Dataset): number {
  return COLLECTION_NAMES.reduce((sum, name) => sum + data[name].length, 0);
}

export class FileStore extends StoreWithBaselines implements Store {
  /** Compactions run one after another: the last one asked, settled either way. */
  private compaction: Promise<void> = Promise.resolve();
  private compacting = false;
  private compactionRetry: NodeJS.Timeout | undefined;
  private compactionDelay = COMPACTION_RETRY_MS;
  /** Records written by the last compaction: the journal may grow to this many entries before the next. */
  private snapshotRecords = 0;
  private readonly pending = new PendingWrites();
  /** Set while a reset or a restore is under way: writes asked meanwhile wait for it, then see its data. */
  private resetting: Promise<void> | undefined;
  /** Stored datasets named by the entries of the current journal file, then by each retired one. */
  private currentRefs: string[] = [];
  private readonly retiredRefs = new Map<number, string[]>();
  /** The dataset of the last reset, kept on disk: the next reset to the same fixtures writes nothing but its entry. */
  private lastReset: string | undefined;
  private readonly failures: DiskFailures;
  protected readonly baselines: Baselines;

  readonly location: string;
  /** True when neither a snapshot nor a journal existed: the caller may seed fixtures. */
  readonly fresh: boolean;
  private readonly db: Low<Dataset>;
  private readonly journal: Journal;
  private readonly files: DatasetFiles;
  private readonly lock: FileLock;
  private readonly compactMinEntries: number;

  private constructor(opened: Opened) {
    super(opened.state);
    this.location = opened.location;
    this.fresh = opened.fresh;
    this.db = opened.db;
    this.journal = opened.journal;
    this.files = opened.files;
    this.lock = opened.lock;
    this.compactMinEntries = opened.compactMinEntries;
    this.failures = opened.failures;
    this.baselines = new Baselines(opened.index, opened.baselines);
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
    const fs = options.fs ?? nodeFs;
    const lock = await acquireLock(location);
    try {
      const adapter = new DurableJSONFile<Dataset>(location, datasetLines, parseDataset, () => new RecordLines(), fs);
      const raw = await adapter.read();
      const problem = raw === null ? undefined : checkDataset(raw);
      if (problem) throw new StoreError('corrupt', `The data file ${location} is not an emulator data file: ${problem}. It was left untouched.`);
      const db = new Low<Dataset>(adapter, emptyDataset());
      const loaded = raw === null ? emptyDataset() : normaliseDataset(raw);
      const state = new Collections(loaded);
      const files = await DatasetFiles.open(`${location}.datasets`, fs);
      const failures = new DiskFailures();
      const index = new BaselineIndex(files, fs, failures);
      const baselines = await index.read();
      const missing = baselines.find((b) => !files.has(b.id!));
      if (missing) throw new StoreError('corrupt', `The baseline '${missing.info.name}' in ${index.location} names a stored dataset that is missing.`);
      // Every entry's shape and record are checked before any is applied: a bad one stops the start, data untouched.
      const { journal, entries } = await Journal.open(`${location}.journal`, journalEntryProblem, fs);
      const replayed = await replay(entries, state, files);
      const compactMinEntries = options.compactMinEntries ?? 10_000;
      const fresh = raw === null && entries.length === 0;
      const store = new FileStore({ location, fresh, db, state, journal, files, index, failures, baselines, lock, compactMinEntries });
      store.snapshotRecords = recordCount(loaded);
      if (journal.pending) await store.compact();
      for (const id of replayed) files.unpin(id);
      // Datasets no entry or baseline names any more (a crash between a dataset and its entry): harmless, tidied.
      await files.collect().catch(() => undefined);
      return store;
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  /** Why writes fail now, without absolute paths; undefined while they work. */
  get problem(): string | undefined {
    return this.journal.problem ?? this.failures.last;
  }

  async create<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<void> {
    while (this.resetting) await this.resetting;
    if (this.exists(collection, record.id)) throw new StoreError('conflict', `A record with id '${record.id}' already exists.`);
    await this.write(collection, record.id, { op: 'put', c: collection, r: record }, () => this.state.of(collection).put(record));
  }

  async update<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<boolean> {
    while (this.resetting) await this.resetting;
    if (!this.exists(collection, record.id)) return false;
    await this.write(collection, record.id, { op: 'put', c: collection, r: record }, () => this.state.of(collection).put(record));
    return true;
  }

  async remove(collection: CollectionName, id: string): Promise<boolean> {
    while (this.resetting) await this.resetting;
    if (!this.exists(collection, id)) return false;
    await this.write(collection, id, { op: 'del', c: collection, id }, () => this.state.of(collection).delete(id));
    return true;
  }

  async replaceAll(dataset: Dataset, shiftMs = 0): Promise<void> {
    await this.oneReset(async () => {
      // The dataset's file first (pinned for the entry): once the entry is durable, a restart can read it.
      const id = await this.failures.attempt(`Writing a stored dataset in ${path.basename(this.files.dir)}`, () => this.files.store(dataset));
      const next = shiftDates(dataset, shiftMs);
      this.currentRefs.push(id);
      const entry: JournalEntry = { op: 'reset', ds: id, ...(shiftMs === 0 ? {} : { shift: shiftMs }), n: recordCount(dataset) };
      await this.journal.append(entry, () => {
        this.state.replaceAll(next);
        this.files.pin(id);
        if (this.lastReset !== undefined) this.files.unpin(this.lastReset);
        this.lastReset = id;
      });
    });
    this.failures.last = undefined;
    this.maybeCompact();
  }

  protected datasetOf(baseline: Baseline): Promise<Dataset> {
    return this.files.read(baseline.id!);
  }

  async close(): Promise<void> {
    clearTimeout(this.compactionRetry);
    await this.compaction;
    // A failed last compaction loses nothing: the journal holds every acknowledged write for the next start.
    if (this.journal.pending) await this.compact().catch(() => undefined);
    // Once the snapshot holds everything, only the baselines' datasets are needed.
    if (this.lastReset !== undefined) this.files.unpin(this.lastReset);
    await this.files.collect().catch(() => undefined);
    await this.files.removeFolderIfEmpty();
    await this.journal.close();
    await this.lock.release();
  }

  private exists(collection: CollectionName, id: string): boolean {
    return this.pending.exists(collection, id, () => this.state.of(collection).get(id) !== undefined);
  }

  private async write(collection: CollectionName, id: string, entry: JournalEntry, commit: () => void): Promise<void> {
    const key = this.pending.add(collection, id, entry.op === 'put');
    try {
      await this.journal.append(entry, commit);
    } finally {
      this.pending.settle(key);
    }
    this.failures.last = undefined;
    this.maybeCompact();
  }

  /** One reset at a time; writes asked meanwhile wait (create, update and remove check `resetting`). */
  private async oneReset(run: () => Promise<void>): Promise<void> {
    while (this.resetting) await this.resetting;
    let done!: () => void;
    this.resetting = new Promise<void>((resolve) => (done = resolve));
    try {
      await run();
    } finally {
      this.resetting = undefined;
      done();
    }
  }

  private maybeCompact(): void {
    if (this.compacting || this.compactionRetry !== undefined) return;
    if (this.journal.entries < Math.max(this.compactMinEntries, this.snapshotRecords)) return;
    this.compactInBackground();
  }

  /**
   * Not awaited by the request that crossed the threshold: its own write is already durable. A failed
   * compaction leaves the journal as it was (its retired file covered by the next one) and is tried again later.
   */
  private compactInBackground(): void {
    this.compacting = true;
    this.compact()
      .then(
        () => {
          this.compactionDelay = COMPACTION_RETRY_MS;
        },
        () => {
          this.compactionRetry = setTimeout(() => {
            this.compactionRetry = undefined;
            if (!this.compacting) this.compactInBackground();
          }, this.compactionDelay).unref();
          this.compactionDelay = Math.min(2 * this.compactionDelay, COMPACTION_RETRY_MAX_MS);
        },
      )
      .finally(() => (this.compacting = false));
  }

  private compact(): Promise<void> {
    const run = this.compaction.then(() => this.compactNow());
    this.compaction = run.catch(() => undefined);
    return run;
  }

  /** Retire the journal, snapshot everything in memory (a superset of what it held), then drop it. */
  private async compactNow(): Promise<void> {
    // After a compaction that failed past its rotation, the retired file is still there for this one to cover.
    const covered = this.journal.entries > 0 || this.journal.newestRetired === 0 ? await this.rotate() : this.journal.newestRetired;
    await this.failures.attempt(`Writing ${path.basename(this.location)}`, () => this.writeSnapshot());
    await this.journal.discardRetired(covered);
    // Only now can no restart replay an entry of those files: the datasets they name may go.
    for (const [generation, ids] of this.retiredRefs) {
      if (generation > covered) continue;
      for (const id of ids) this.files.unpin(id);
      this.retiredRefs.delete(generation);
    }
    await this.files.collect().catch(() => undefined);
  }

  private async rotate(): Promise<number> {
    // The entries appended before the rotation's barrier are those of the file it retires.
    const refs = this.currentRefs;
    this.currentRefs = [];
    try {
      const generation = await this.journal.rotate();
      this.retiredRefs.set(generation, refs);
      return generation;
    } catch (err) {
      this.currentRefs = [...refs, ...this.currentRefs];
      throw err;
    }
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

/** Apply the journals' entries over the snapshot; the stored datasets their resets name stay pinned (returned) until compacted. */
async function replay(entries: readonly JournalEntry[], state: Collections, files: DatasetFiles): Promise<string[]> {
  const read = new Map<string, Dataset>();
  for (const entry of entries) {
    if (entry.op === 'put') state.of(entry.c).put(entry.r);
    else if (entry.op === 'del') state.of(entry.c).delete(entry.id);
    else {
      // A journal of resets to the same fixtures names one dataset many times: read it once.
      let dataset = read.get(entry.ds);
      if (dataset === undefined) {
        dataset = await files.read(entry.ds);
        read.set(entry.ds, dataset);
        files.pin(entry.ds);
      }
      state.replaceAll(shiftDates(dataset, entry.shift ?? 0));
    }
  }
  return [...read.keys()];
}
