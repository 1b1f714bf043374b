// The measure the suite's bounds on runaway work use (tests/support/cpuTime.ts): it counts work done, and not
// time spent waiting, which is what a loaded machine adds.
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

  it('does not count a wait', async () => {
    const { value, cpuMs } = await cpuMsOf(async () => {
      await sleep(300);
      return 'waited';
    });
    expect(value).toBe('waited');
    expect(cpuMs).toBeLessThan(300);
  });
});
