// The measure the suite's bounds on runaway work use (tests/support/cpuTime.ts): it counts the CPU work used, after
// a wait too, where a wall clock would count the time a loaded machine kept the process from a core.
import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuMsOf } from '../support/cpuTime.js';

/** Spins until this process has used `ms` of CPU time. */
function spin(ms: number): number {
  const start = process.cpuUsage();
  let turns = 0;
  for (;;) {
    turns += 1;
    const { user, system } = process.cpuUsage(start);
    if (user + system >= ms * 1000) return turns;
  }
}

describe('cpuMsOf', () => {
  it('counts the CPU that work used, and hands back its value', async () => {
    const { value, cpuMs } = await cpuMsOf(() => spin(60));
    expect(value).toBeGreaterThan(0);
    expect(cpuMs).toBeGreaterThanOrEqual(60);
  });

  it('waits for an asynchronous work and hands back its value', async () => {
    // What a wait adds is not asserted: every thread of the process counts, and a worker's garbage collector may
    // be busy in the background for all of it (a 300 ms wait once read 595 ms).
    const { value, cpuMs } = await cpuMsOf(async () => {
      await sleep(20);
      return spin(30);
    });
    expect(value).toBeGreaterThan(0);
    expect(cpuMs).toBeGreaterThanOrEqual(30);
  });
});
