// The suite's jest configuration gives its workers time to exit at the end of a run (jest.config.js): a worker that
// has run a hundred test files frees a heap of several hundred MB as it exits, which a busy machine took longer than
// jest's default 500 ms to do, and jest then reported a leak that was not there.
import { describe, expect, it } from '@jest/globals';

// Read as jest does, not imported by a path the module mapping would rewrite.
const JEST_CONFIG: string = '../../jest.config.js';
/** jest's own default for workerGracefulExitTimeout. */
const JEST_DEFAULT_MS = 500;

describe("the suite's worker exit time", () => {
  it('is longer than jest’s default, and short enough that a worker a leak holds open is still killed and named', async () => {
    const { default: config } = (await import(JEST_CONFIG)) as { default: { workerGracefulExitTimeout?: number; testTimeout: number } };
    expect(config.workerGracefulExitTimeout).toBeGreaterThanOrEqual(4 * JEST_DEFAULT_MS);
    expect(config.workerGracefulExitTimeout).toBeLessThan(config.testTimeout);
  });
});
