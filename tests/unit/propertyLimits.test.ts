// The suite's fast-check limit (tests/support/propertyLimits.ts) reaches the test files' fast-check, and a
// property that goes on past a time limit fails with the seed that replays it rather than running on.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

// Read as jest does, not imported: importing the setup file here would configure fast-check whatever jest runs.
const JEST_CONFIG: string = '../../jest.config.js';

describe("the suite's limit on fast-check properties", () => {
  it('is the global configuration the test files see, below jest’s own timeout', async () => {
    const { default: config } = (await import(JEST_CONFIG)) as { default: { testTimeout: number } };
    const { interruptAfterTimeLimit, markInterruptAsFailure } = fc.readConfigureGlobal();
    expect(markInterruptAsFailure).toBe(true);
    expect(interruptAfterTimeLimit).toBeGreaterThanOrEqual(10_000);
    expect(interruptAfterTimeLimit).toBeLessThan(config.testTimeout);
  });

  it('fails a property still running at the limit, naming its seed, even when every run awaits only promises', async () => {
    let runs = 0;
    const endless = fc.asyncProperty(fc.nat(), async () => {
      runs += 1;
      const until = Date.now() + 5;
      while (Date.now() < until) await Promise.resolve();
    });
    const started = Date.now();
    // The suite's configuration, with a shorter limit and as many runs as it takes. The limit is long enough for
    // several runs even when a busy machine holds this process for most of a second (200 ms once saw one run).
    const failure = fc.assert(endless, { interruptAfterTimeLimit: 1_000, numRuns: Number.MAX_SAFE_INTEGER, seed: 7 });
    await expect(failure).rejects.toThrow(/Property interrupted after \d+ tests\s*\{ seed: 7 \}/);
    expect(runs).toBeGreaterThan(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
