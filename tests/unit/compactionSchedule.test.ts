// When the file store compacts in the background (server/store/compactionSchedule.ts): one at a time, retried
// after a failure, and nothing at all once the store has stopped it to close, but the final compaction it asks.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { CompactionSchedule, CompactionThreshold, RETRY_MAX_MS, RETRY_MS } from '../../server/store/compactionSchedule.js';

/** A compaction the test finishes: `finish()` or `fail()` settles the one under way. */
function controlled() {
  const calls: { finish: () => void; fail: () => void }[] = [];
  const schedule = new CompactionSchedule(
    () =>
      new Promise<void>((resolve, reject) => {
        calls.push({ finish: resolve, fail: () => reject(new Error('ENOSPC')) });
      }),
  );
  return { schedule, calls };
}

/** The rest of this turn of the event loop: the schedule's promise callbacks have all run. */
const turn = () => new Promise((resolve) => setImmediate(resolve));
const retryOf = (schedule: CompactionSchedule) => (schedule as unknown as { retry: NodeJS.Timeout | undefined }).retry;

/** A compaction that fails its first `failures` calls and succeeds after; `times` are the virtual ms of each call. */
function failing(failures: number) {
  const start = Date.now();
  const times: number[] = [];
  const schedule = new CompactionSchedule(async () => {
    times.push(Date.now() - start);
    if (times.length <= failures) throw new Error('ENOSPC');
  });
  return { schedule, times };
}

describe('CompactionSchedule', () => {
  it('starts one compaction in the background when due, and no second while it runs', async () => {
    const { schedule, calls } = controlled();
    schedule.maybe(false);
    expect(calls).toHaveLength(0);
    schedule.maybe(true);
    await turn();
    expect(schedule.running).toBe(true);
    schedule.maybe(true);
    await turn();
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    await schedule.settled();
    await turn();
    expect(schedule.running).toBe(false);
  });

  it('after a failure, waits for its retry rather than starting another at the next write', async () => {
    const { schedule, calls } = controlled();
    schedule.maybe(true);
    await turn();
    calls[0]!.fail();
    await schedule.settled();
    await turn();
    expect(retryOf(schedule)).toBeDefined();
    schedule.maybe(true);
    await turn();
    expect(calls).toHaveLength(1);
    await schedule.stop();
    expect(retryOf(schedule)).toBeUndefined();
  });

  it('once stopped, starts nothing in the background, and sets no retry for a compaction that fails after', async () => {
    const { schedule, calls } = controlled();
    schedule.maybe(true);
    await turn();
    const stopped = schedule.stop();
    calls[0]!.fail();
    await stopped;
    await turn();
    expect(retryOf(schedule)).toBeUndefined();
    expect(schedule.running).toBe(false);
    schedule.maybe(true);
    await turn();
    expect(calls).toHaveLength(1);
    // The final compaction the store asks for itself still runs.
    const final = schedule.run();
    await turn();
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    await expect(final).resolves.toBeUndefined();
  });

  describe('retry delays (fake timers)', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it('retries after 1 s, doubling each failure up to 60 s, then stops once one succeeds', async () => {
      jest.useFakeTimers();
      const { schedule, times } = failing(8);
      schedule.maybe(true);
      await jest.advanceTimersByTimeAsync(10 * 60_000);
      // 1, 2, 4, 8, 16, 32 s apart, then capped at 60 s (not 64).
      expect(times).toEqual([0, 1000, 3000, 7000, 15_000, 31_000, 63_000, 123_000, 183_000]);
      expect(RETRY_MS).toBe(1000);
      expect(RETRY_MAX_MS).toBe(60_000);
      expect(retryOf(schedule)).toBeUndefined();
      expect(schedule.running).toBe(false);
    });

    it('after a success, the next failure is retried after 1 s again, not the doubled delay', async () => {
      jest.useFakeTimers();
      // Fails at 0 and 1 s (delay now 4 s), succeeds at 3 s, then fails again at the next write.
      let calls = 0;
      const start = Date.now();
      const times: number[] = [];
      const schedule = new CompactionSchedule(async () => {
        times.push(Date.now() - start);
        calls += 1;
        if (calls !== 3) throw new Error('ENOSPC');
      });
      schedule.maybe(true);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(times).toEqual([0, 1000, 3000]);
      schedule.maybe(true);
      await jest.advanceTimersByTimeAsync(RETRY_MS);
      expect(times).toEqual([0, 1000, 3000, 10_000, 11_000]);
      await schedule.stop();
    });
  });
});

describe('CompactionThreshold', () => {
  it("is due at the minimum or the last snapshot's records, whichever is more, or the records in memory when fewer", () => {
    let records = 50_000;
    let counts = 0;
    const threshold = new CompactionThreshold(10_000, () => {
      counts += 1;
      return records;
    });
    threshold.snapshotWritten(50_000);
    expect(threshold.due(9_999)).toBe(false);
    expect(counts).toBe(0);
    // Past the minimum, short of the snapshot: the records in memory are counted, once every tenth of the minimum.
    expect(threshold.due(10_000)).toBe(false);
    records = 11_000;
    expect(threshold.due(10_999)).toBe(false);
    expect(counts).toBe(1);
    // As many entries as records: due.
    expect(threshold.due(11_000)).toBe(true);
    expect(counts).toBe(2);
    expect(threshold.due(50_000)).toBe(true);
    // After a snapshot the fresh journal counts from 0, and the records are counted again at the minimum.
    threshold.snapshotWritten(10_500);
    records = 3;
    expect(threshold.due(9_999)).toBe(false);
    expect(threshold.due(10_000)).toBe(true);
    expect(counts).toBe(3);
  });

  it('is due at the minimum for a snapshot smaller than it, without counting', () => {
    const threshold = new CompactionThreshold(5, () => {
      throw new Error('not counted');
    });
    threshold.snapshotWritten(2);
    expect(threshold.due(4)).toBe(false);
    expect(threshold.due(5)).toBe(true);
  });
});
