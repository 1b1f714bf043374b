// The young generation's cap for a large data set: which command lines it leaves alone, and how it sets V8's
// growth factor as the young generation's size crosses the cap (sizes and the setting given by the test; the
// collections that trigger each check are real).
import { describe, expect, it } from '@jest/globals';
import { YOUNG_GENERATION_CAP_BYTES, capYoungGeneration, ownYoungGenerationFlag } from '../../server/youngGeneration.js';

/** Allocates until a collection has run and its entry reached the observers. */
async function collect(): Promise<void> {
  let keep: unknown[] = [];
  for (let i = 0; i < 400_000; i += 1) keep = i % 1000 === 0 ? [] : [...keep.slice(-10), { i }];
  await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('ownYoungGenerationFlag', () => {
  it("sees the young generation's flags on the command line or in NODE_OPTIONS, in either spelling", () => {
    expect(ownYoungGenerationFlag(['--max-semi-space-size=8'])).toBe(true);
    expect(ownYoungGenerationFlag(['--enable-source-maps', '--min_semi_space_size=2'])).toBe(true);
    expect(ownYoungGenerationFlag(['--semi-space-growth-factor=4'])).toBe(true);
    expect(ownYoungGenerationFlag([], '--enable-source-maps --max-semi-space-size=2')).toBe(true);
  });

  it('ignores other flags, also one whose value spells a young-generation flag', () => {
    expect(ownYoungGenerationFlag(['--heap-growing-percent=40', '--max-old-space-size=512'], '--enable-source-maps')).toBe(false);
    expect(ownYoungGenerationFlag(['--title=x--max-semi-space-size=8', '--title=x--semi-space-growth-factor=1'])).toBe(false);
    expect(ownYoungGenerationFlag([], '')).toBe(false);
  });
});

describe('capYoungGeneration', () => {
  it('stops growth at the cap and allows it again below, after each collection, and restores the default when stopped', async () => {
    let size = YOUNG_GENERATION_CAP_BYTES / 4;
    const set: number[] = [];
    const stop = capYoungGeneration({ execArgv: [], nodeOptions: '', sizeBytes: () => size, setGrowthFactor: (factor) => set.push(factor) });
    expect(stop).not.toBeNull();
    await collect();
    expect(set).toEqual([]);
    size = YOUNG_GENERATION_CAP_BYTES;
    await collect();
    expect(set).toEqual([1]);
    await collect();
    expect(set).toEqual([1]);
    size = YOUNG_GENERATION_CAP_BYTES / 2;
    await collect();
    expect(set).toEqual([1, 2]);
    size = YOUNG_GENERATION_CAP_BYTES * 2;
    await collect();
    expect(set).toEqual([1, 2, 1]);
    stop!();
    expect(set).toEqual([1, 2, 1, 2]);
    size = YOUNG_GENERATION_CAP_BYTES / 2;
    await collect();
    expect(set).toEqual([1, 2, 1, 2]);
  });

  it('sets nothing when stopped while growth is allowed', async () => {
    const set: number[] = [];
    const stop = capYoungGeneration({ execArgv: [], nodeOptions: '', sizeBytes: () => 1, setGrowthFactor: (factor) => set.push(factor) });
    await collect();
    stop!();
    expect(set).toEqual([]);
  });

  it('stops growth at once when the young generation is at the cap already; stopping then restores the default', () => {
    const set: number[] = [];
    const stop = capYoungGeneration({ execArgv: [], nodeOptions: '', capBytes: 100, sizeBytes: () => 100, setGrowthFactor: (factor) => set.push(factor) });
    expect(set).toEqual([1]);
    stop!();
    expect(set).toEqual([1, 2]);
  });

  it('is not applied to a process started with its own young-generation flags', async () => {
    const set: number[] = [];
    const own = { nodeOptions: '', sizeBytes: () => YOUNG_GENERATION_CAP_BYTES * 2, setGrowthFactor: (factor: number) => set.push(factor) };
    expect(capYoungGeneration({ ...own, execArgv: ['--max-semi-space-size=16'] })).toBeNull();
    expect(capYoungGeneration({ ...own, execArgv: [], nodeOptions: '--max-semi-space-size=16' })).toBeNull();
    await collect();
    expect(set).toEqual([]);
  });
});
