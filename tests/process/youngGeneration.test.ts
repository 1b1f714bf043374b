// The young generation's cap in a real V8 (server/youngGeneration.ts): V8 reads its growth factor at every
// growth, so setting it at run time stops the young generation at the cap. If a Node.js release fixed the
// factor at start-up, as it does the semi-space size, the first test would fail.
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { ROOT, spawnProcess } from '../support/childProcess.js';

/** A process that allocates short-lived objects (some kept a while) on many event-loop turns, and prints the young generation's largest size. */
async function largestYoungGeneration(cap: boolean, flags: string[] = []): Promise<number> {
  const script = `
    const { capYoungGeneration, youngGenerationBytes } = await import(${JSON.stringify(path.join(ROOT, 'server/youngGeneration.ts'))});
    if (${cap}) capYoungGeneration();
    let largest = 0;
    const kept = [];
    for (let turn = 0; turn < 150; turn += 1) {
      for (let i = 0; i < 20000; i += 1) {
        const o = { i, text: 'x' + i, list: [i, turn] };
        if (i % 20 === 0) kept.push(o);
      }
      if (kept.length > 100000) kept.splice(0, 50000);
      await new Promise((resolve) => setImmediate(resolve));
      largest = Math.max(largest, youngGenerationBytes());
    }
    process.stdout.write(String(largest));`;
  const proc = spawnProcess(process.execPath, [...flags, '--import', 'tsx', '--input-type=module', '-e', script]);
  expect(await proc.exited).toEqual({ code: 0, signal: null });
  return Number(proc.stdout());
}

describe('the young generation cap in V8', () => {
  it('keeps the young generation at 8 MB where V8 alone grows it to 32 MB under the same allocations', async () => {
    const [alone, capped] = await Promise.all([largestYoungGeneration(false), largestYoungGeneration(true)]);
    expect(alone).toBeGreaterThan(8 * 1024 * 1024);
    expect(capped).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(capped).toBeGreaterThan(0);
  });

  it("leaves a process started with its own --max-semi-space-size to V8's own sizing", async () => {
    expect(await largestYoungGeneration(true, ['--max-semi-space-size=8'])).toBe(16 * 1024 * 1024);
  });
});
