// When the file store compacts (fileStore.ts says what a compaction does): one at a time, each asked one queued
// behind the last; in the background once the journal outgrows its threshold, never awaited by the write that
// crossed it (that write is durable already); and after a failure again from RETRY_MS, doubling up to
// RETRY_MAX_MS, since a compaction that failed leaves the journal as it was and loses nothing.

/** A failed background compaction is tried again after this, doubling up to RETRY_MAX_MS. */
export const RETRY_MS = 1000;
export const RETRY_MAX_MS = 60_000;

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
