// When the file store compacts (fileStore.ts says what a compaction does): one at a time, each asked one queued
// behind the last; in the background once the journal outgrows its threshold (CompactionThreshold), never awaited by the write that
// crossed it (that write is durable already); and after a failure again from RETRY_MS, doubling up to
// RETRY_MAX_MS, since a compaction that failed leaves the journal as it was and loses nothing.

/** A failed background compaction is tried again after this, doubling up to RETRY_MAX_MS. */
export const RETRY_MS = 1000;
export const RETRY_MAX_MS = 60_000;

/**
 * When the journal holds enough entries for a compaction: `minEntries`, and as many as the records of the last
 * snapshot or, when drops and deletes left fewer, as the records in memory, so that a compaction's cost (writing
 * every record) is paid for by as many writes. Counting only the snapshot's, 999 tenants added then dropped left a
 * 53 MB snapshot of them on disk, and the journal grew to 24 MB of writes to 69 KB of records before the next.
 * The records in memory (a sum over each tenant's collections) are counted again every tenth of `minEntries`
 * (1,000 entries by default).
 */
export class CompactionThreshold {
  private snapshotRecords = 0;
  private liveRecords = 0;
  /** The journal's entries at which the records in memory are counted again. */
  private recountAt = 0;

  constructor(
    readonly minEntries: number,
    private readonly countRecords: () => number,
  ) {}

  /** A snapshot of `records` records is on disk, and the journal after it starts from 0 entries. */
  snapshotWritten(records: number): void {
    this.snapshotRecords = records;
    this.recountAt = 0;
  }

  due(entries: number): boolean {
    if (entries < this.minEntries) return false;
    if (entries >= this.snapshotRecords) return true;
    if (entries >= this.recountAt) {
      this.liveRecords = this.countRecords();
      this.recountAt = entries + Math.ceil(this.minEntries / 10);
    }
    return entries >= this.liveRecords;
  }
}

export class CompactionSchedule {
  /** The last compaction asked, settled either way: the next one runs after it. */
  private last: Promise<void> = Promise.resolve();
  private inBackground = false;
  /** Set by stop(): the store is closing, and nothing may touch its files behind the final compaction's back. */
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private delay = RETRY_MS;

  constructor(private readonly compactNow: () => Promise<void>) {}

  /** Whether a background compaction is under way. */
  get running(): boolean {
    return this.inBackground;
  }

  /** A compaction after those already asked; rejects when it fails. */
  run(): Promise<void> {
    const run = this.last.then(() => this.compactNow());
    this.last = run.catch(() => undefined);
    return run;
  }

  /** After a write: a compaction in the background when `due`, unless one runs or waits for its retry. */
  maybe(due: boolean): void {
    if (!due || this.stopped || this.inBackground || this.retry !== undefined) return;
    this.background();
  }

  private background(): void {
    this.inBackground = true;
    this.run()
      .then(
        () => {
          this.delay = RETRY_MS;
        },
        () => {
          if (this.stopped) return;
          this.retry = setTimeout(() => {
            this.retry = undefined;
            if (!this.inBackground) this.background();
          }, this.delay).unref();
          this.delay = Math.min(2 * this.delay, RETRY_MAX_MS);
        },
      )
      .finally(() => (this.inBackground = false));
  }

  /** Once the compaction under way, if any, has settled (either way). */
  settled(): Promise<void> {
    return this.last;
  }

  /**
   * No more compactions in the background, nor retries, for good: a write that lands while the store closes must
   * not start one after the journal is closed (it would rotate the journal behind the closed handle). run() still
   * runs the one asked. Answers once the compaction under way, if any, has settled.
   */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    return this.settled();
  }
}
