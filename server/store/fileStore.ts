// File-backed store: a lowdb JSON snapshot (`DATA_FILE`) plus an append-only journal (`DATA_FILE.journal`).
// A write is appended to the journal and applied in memory right after the batch's fdatasync, then
// acknowledged: nothing is visible before it is on disk, and a write the disk refused is never applied (it
// answers 503, and the journal is cut back so that no restart replays it). Writes not yet durable are checked
// against each other (pendingWrites.ts) while readers see only durable data.
// A reset is one journal entry naming a stored dataset (datasetFiles.ts), written once however often the same
// fixtures are put back; named baselines are stored datasets too, listed in `DATA_FILE.datasets/baselines.json`.
// The snapshot is rewritten (durably, via lowdb) only on open, on close, and when the journal holds more
// entries than max(compactMinEntries, records in the last snapshot, or in memory when fewer): the snapshots grow
// geometrically, so the amortised cost per write stays constant however much data is stored. A compaction retires the journal,
// writes the snapshot while writes go on into a fresh journal, then removes the retired file (journal.ts).
// When a compaction runs, and again after a failure, is compactionSchedule.ts's; what it does is here (compactNow).
// What the open reads and checks before the store serves (the snapshot, the stored datasets and baselines, the
// journal's entries and their replay) is dataFileOpen.ts's; the open wires the store up around it.
// Opening replays the journals over the snapshot; entries are idempotent upserts, deletes, batches of them, resets
// and drops, so a crash between the snapshot and the removal replays harmlessly.
// Every tenant lives in the same snapshot, journal and stored datasets (tenants.ts); this object is the default
// tenant's store, and the Persistence of every tenant's: their writes and resets come here to be made durable.
import type { Low } from 'lowdb';
import path from 'node:path';
import { FileAccessError, fileAccessError } from '../errors.js';
import { DEFAULT_TENANT_ID } from '../tenantIds.js';
import type { BaselineIndex } from './baselineIndex.js';
import { type Baseline, Baselines } from './baselines.js';
import { type Collections, normaliseDataset } from './collections.js';
import { CompactionSchedule, CompactionThreshold } from './compactionSchedule.js';
import { baselinesOfGoneTenants, readDataFiles, recordCount, replay } from './dataFileOpen.js';
import type { DataFile } from './dataFileFormat.js';
import { type UsableDataFile, removeMadeFolders, usableDataFile } from './dataFilePath.js';
import type { DatasetFiles } from './datasetFiles.js';
import { DatasetPins } from './datasetPins.js';
import { DatasetsWatch } from './datasetsWatch.js';
import { type FileStoreOptions, datasetsTold } from './fileStoreOptions.js';
import { FilesWatch } from './filesWatch.js';
import type { Journal } from './journal.js';
import type { JournalLine } from './journalLines.js';
import { type FileLock, acquireLock } from './lock.js';
import { type Dataset, emptyDataset } from './records.js';
import { StoreError } from './store.js';
import type { DiskFailures } from './storeFs.js';
import { type Persistence, TenantSet } from './tenants.js';
import { TenantStore } from './tenantStore.js';

export type { ChangedFileKind, FileStoreOptions } from './fileStoreOptions.js';

/** What open() reads and opens, handed to the constructor. */
interface Opened {
  location: string;
  /** The first folder of the data file's path that this open made (dataFilePath.ts), if any. */
  madeFolder: string | undefined;
  fresh: boolean;
  db: Low<DataFile>;
  state: Collections;
  journal: Journal;
  files: DatasetFiles;
  index: BaselineIndex;
  failures: DiskFailures;
  lock: FileLock;
  compactMinEntries: number;
  options: FileStoreOptions;
}

export class FileStore extends TenantStore implements Persistence {
  /** When compactions run (compactionSchedule.ts); compactNow below is what one does. */
  private readonly compactions = new CompactionSchedule(() => this.compactNow());
  /** The stored datasets the journal's entries and the tenants' last resets keep on disk (datasetPins.ts). */
  private readonly pins: DatasetPins;
  private readonly failures: DiskFailures;

  /** True when neither a snapshot nor a journal existed: the caller may seed fixtures. */
  readonly fresh: boolean;
  private readonly db: Low<DataFile>;
  private readonly journal: Journal;
  private readonly files: DatasetFiles;
  private readonly index: BaselineIndex;
  private readonly lock: FileLock;
  /** How many journal entries make a compaction due (compactionSchedule.ts). */
  private readonly threshold: CompactionThreshold;
  private readonly madeFolder: string | undefined;
  /** The snapshot and the journal kept where a restart reads them (filesWatch.ts). */
  private readonly watch: FilesWatch;
  /** Why the lock is no longer this store's, once it is not. */
  private lostLock: string | undefined;
  /** Whom the store tells what happened to its files (fileStoreOptions.ts). */
  private readonly told: FileStoreOptions;

  private constructor(opened: Opened) {
    super(new TenantSet(opened.location), DEFAULT_TENANT_ID, opened.state);
    this.tenants.attach(this, this);
    this.fresh = opened.fresh;
    this.db = opened.db;
    this.journal = opened.journal;
    this.files = opened.files;
    this.pins = new DatasetPins(opened.files);
    this.index = opened.index;
    this.lock = opened.lock;
    this.threshold = new CompactionThreshold(opened.compactMinEntries, () => this.tenants.recordCount());
    this.madeFolder = opened.madeFolder;
    this.failures = opened.failures;
    this.told = opened.options;
    const datasets = new DatasetsWatch(opened.files, opened.index, () => this.compactions.run(), datasetsTold(opened.options));
    this.watch = new FilesWatch(
      opened.location,
      opened.journal,
      () => this.compactions.run(),
      () => datasets.look(),
    );
  }

  static async open(file: string, options: FileStoreOptions = {}): Promise<FileStore> {
    let usable: UsableDataFile | undefined;
    try {
      usable = await usableDataFile(file);
      return await FileStore.openAt(usable, options);
    } catch (err) {
      // A refused start leaves no folder it made for the data file.
      if (usable !== undefined) await removeMadeFolders(usable);
      // A refusal of the system (permissions, a read-only or full disk) as one line naming the file.
      throw fileAccessError(err, `Cannot open the data file ${path.resolve(file)}`) ?? err;
    }
  }

  /** Open the data file at its real path (dataFilePath.ts). */
  private static async openAt({ path: location, madeFolder }: UsableDataFile, options: FileStoreOptions): Promise<FileStore> {
    const lock = await acquireLock(location);
    let journal: Journal | undefined;
    try {
      const { raw, db, state, files, failures, index, ...opened } = await readDataFiles(location, options);
      journal = opened.journal;
      const compactMinEntries = options.compactMinEntries ?? 10_000;
      const fresh = raw === null && opened.entries.length === 0;
      const store = new FileStore({ location, madeFolder, fresh, db, state, journal, files, index, failures, lock, compactMinEntries, options });
      for (const [id, dataset] of Object.entries(raw?.tenants ?? {})) store.tenants.restore(id, normaliseDataset(dataset));
      const replayed = await replay(opened.entries, store.tenants, files);
      store.threshold.snapshotWritten(raw === null ? 0 : recordCount(raw));
      // Baselines of a tenant that no longer exists go once every check has passed: a refused start leaves the list as it was.
      const gone = baselinesOfGoneTenants(index, store.tenants, files);
      // Every check passed: the start goes on, and the journal's torn tail, if any, goes before any append.
      await journal.cutTornTail();
      for (const tenant of gone) await index.forget(tenant);
      if (journal.pending) {
        // A disk that refuses the snapshot (full, failing) is the system refusing the data file: exit 3, as at open.
        await store.compactions.run().catch((err: unknown) => {
          if (!(err instanceof StoreError) || err.kind !== 'io') throw err;
          throw new FileAccessError(
            `Cannot open the data file ${location}: the snapshot of its journal could not be written (${err.message}). No data was lost: the journal may have been set aside as ${path.basename(location)}.journal.1, which the next start replays.`,
          );
        });
      }
      for (const id of replayed) files.unpin(id);
      // Datasets no entry or baseline names any more (a crash between a dataset and its entry): harmless, tidied.
      await files.collect().catch(() => undefined);
      lock.guard((why) => store.lockLost(why));
      await store.watch.start();
      return store;
    } catch (err) {
      // A journal this open made goes again: a refusal leaves the files as they were.
      await journal?.close(true).catch(() => undefined);
      await lock.release();
      throw err;
    }
  }

  /**
   * Another process holds the data file's lock now (lockGuard.ts): nothing more is written, no compaction either, as
   * each would write over that process's files.
   */
  private lockLost(why: string): void {
    this.lostLock = why;
    this.told.onLockLost?.(this.lock.path, why);
    this.journal.refuse(why);
    void this.watch.stop();
    void this.compactions.stop();
  }

  /** Why writes fail now, without absolute paths; undefined while they work. */
  get writeProblem(): string | undefined {
    return this.journal.problem ?? this.failures.last;
  }

  async persist(entry: JournalLine, commit: () => void): Promise<void> {
    await this.journal.append(entry, commit);
    this.failures.last = undefined;
    this.compactions.maybe(this.threshold.due(this.journal.entries));
  }

  async persistReset(tenant: string, dataset: Dataset, shiftMs: number, commit: () => void): Promise<void> {
    // The dataset's file first (pinned for the entry): once the entry is durable, a restart can read it.
    const id = await this.failures.attempt(`Writing a stored dataset in ${path.basename(this.files.dir)}`, () => this.files.store(dataset));
    this.pins.named(id);
    const entry: JournalLine = {
      op: 'reset',
      ...(tenant === DEFAULT_TENANT_ID ? {} : { t: tenant }),
      ds: id,
      ...(shiftMs === 0 ? {} : { shift: shiftMs }),
      n: recordCount(dataset),
    };
    await this.journal.append(entry, () => {
      commit();
      this.pins.resetTo(tenant, id);
    });
    this.failures.last = undefined;
    this.compactions.maybe(this.threshold.due(this.journal.entries));
  }

  async forget(tenant: string): Promise<void> {
    this.pins.forget(tenant);
    // The drop is durable already: a list that cannot be rewritten now is put right at the next start.
    await this.index.forget(tenant);
    await this.files.collect().catch(() => undefined);
  }

  baselinesOf(tenant: string, check: () => void): Baselines {
    return new Baselines(this.index.forTenant(tenant, check), this.index.of(tenant));
  }

  readBaseline(baseline: Baseline): Promise<Dataset> {
    return this.files.read(baseline.id!);
  }

  /**
   * Flush the journal into the snapshot and let the files go. When the last snapshot cannot be written, nothing
   * is lost (the journal holds every acknowledged write, and the datasets it names stay, for the next start), but
   * the stop rejects, saying so: the caller must not report the data as flushed.
   */
  async release(): Promise<void> {
    await this.watch.stop();
    await this.compactions.stop();
    if (this.lostLock !== undefined) {
      // No last snapshot: the files may be another process's now, and this one's writes are in the journal.
      await this.journal.close();
      await this.lock.release();
      throw new StoreError('io', this.lostLock);
    }
    let failed: unknown;
    if (this.journal.pending) await this.compactions.run().catch((err: unknown) => (failed = err));
    if (failed === undefined) {
      // Once the snapshot holds everything, only the baselines' datasets are needed.
      this.pins.forgetResets();
      await this.files.collect().catch(() => undefined);
      await this.files.removeFolderIfEmpty();
    }
    // A fresh store that took no write (its start refused: a bad fixtures file) leaves no journal behind.
    await this.journal.close(this.fresh);
    await this.lock.release();
    // ... and, when that leaves the folders made for the data file empty, no folder either.
    if (this.fresh) await removeMadeFolders({ path: this.location, madeFolder: this.madeFolder });
    if (failed !== undefined) {
      const name = path.basename(this.location);
      const why = failed instanceof Error ? failed.message : String(failed);
      // The failed snapshot retired the journal first: the writes are in the retired files, which must be named (a
      // copy of db.json.journal alone, taken on the message's word, would hold none of them).
      const files = [...this.journal.retiredGenerations.map((n) => `${name}.journal.${n}`), `${name}.journal`];
      const held = files.length === 1 ? `${files[0]} holds` : `${files.slice(0, -1).join(', ')} and ${files.at(-1)} hold`;
      throw new StoreError(
        'io',
        `The last snapshot of ${name} could not be written (${why}). Nothing is lost: ${held} every acknowledged write, replayed at the next start.`,
      );
    }
  }

  /** Retire the journal, snapshot everything in memory (a superset of what it held), then drop it. */
  private async compactNow(): Promise<void> {
    // After a compaction that failed past its rotation, the retired file is still there for this one to cover.
    const covered =
      this.journal.entries > 0 || this.journal.newestRetired === 0 ? await this.pins.rotating(() => this.journal.rotate()) : this.journal.newestRetired;
    await this.failures.attempt(`Writing ${path.basename(this.location)}`, () => this.writeSnapshot());
    await this.journal.discardRetired(covered);
    // Only now can no restart replay an entry of those files: the datasets they name may go.
    this.pins.covered(covered);
    await this.files.collect().catch(() => undefined);
  }

  private async writeSnapshot(): Promise<void> {
    // Records are replaced on update, never changed in place: this copy of the arrays stays the state of
    // this moment while the snapshot is written piece by piece and writes go on.
    const snapshot = this.tenants.toDataFile();
    this.db.data = snapshot;
    try {
      await this.watch.writingSnapshot(() => this.db.write());
    } finally {
      // lowdb's copy would otherwise keep every record this snapshot held alive after updates replace them.
      this.db.data = emptyDataset();
    }
    this.threshold.snapshotWritten(recordCount(snapshot));
  }
}
