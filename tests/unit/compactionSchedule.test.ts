// When the file store compacts in the background (server/store/compactionSchedule.ts): one at a time, retried
// after a failure, and nothing at all once the store has stopped it to close, but the final compaction it asks.
import { describe, expect, it } from '@jest/globals';
import { CompactionSchedule } from '../../server/store/compactionSchedule.js';

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
});
