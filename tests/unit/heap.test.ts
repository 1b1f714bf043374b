import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HEAP_BOUND_FROM_BYTES, boundHeapGrowth, boundHeapGrowthWhenLarge, dataFileBytes, largeDataFile } from '../../server/heap.js';

describe('boundHeapGrowth', () => {
  const large = HEAP_BOUND_FROM_BYTES;

  it("leaves a process started with its own --heap-growing-percent alone (V8's default is =0)", () => {
    expect(boundHeapGrowth(large, ['--heap-growing-percent=0'])).toBe(false);
    expect(boundHeapGrowth(large, ['--enable-source-maps', '--heap_growing_percent=100'])).toBe(false);
  });

  it("leaves V8's default for a small data file, where the headroom is small", () => {
    expect(boundHeapGrowth(large - 1, ['--enable-source-maps'])).toBe(false);
    expect(boundHeapGrowth(0, [])).toBe(false);
  });

  it('applies the bound for a large data file otherwise', () => {
    expect(boundHeapGrowth(large, ['--enable-source-maps'])).toBe(true);
  });
});

describe('largeDataFile', () => {
  it('is true from HEAP_BOUND_FROM_BYTES on, the size from which both V8 settings apply', () => {
    expect([largeDataFile(HEAP_BOUND_FROM_BYTES - 1), largeDataFile(HEAP_BOUND_FROM_BYTES), largeDataFile(0)]).toEqual([false, true, false]);
  });
});

describe('boundHeapGrowthWhenLarge', () => {
  const waitFor = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  it('applies the bound once the old generation reaches the threshold, then stops watching', async () => {
    let used = 10;
    let checks = 0;
    const applied: number[] = [];
    boundHeapGrowthWhenLarge({
      execArgv: [],
      fromBytes: 100,
      intervalMs: 1,
      usedBytes: () => {
        checks += 1;
        return used;
      },
      onApplied: () => applied.push(used),
    });
    await waitFor(() => checks >= 3);
    expect(applied).toEqual([]);
    used = 100;
    await waitFor(() => applied.length > 0);
    expect(applied).toEqual([100]);
    const after = checks;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(checks).toBe(after);
  });

  it('never applies it to a process started with its own --heap-growing-percent, nor once stopped', async () => {
    const applied: string[] = [];
    boundHeapGrowthWhenLarge({ execArgv: ['--heap-growing-percent=0'], fromBytes: 0, intervalMs: 1, onApplied: () => applied.push('own flag') });
    const stop = boundHeapGrowthWhenLarge({ execArgv: [], fromBytes: 0, intervalMs: 5, onApplied: () => applied.push('stopped') });
    stop();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(applied).toEqual([]);
  });
});

describe('dataFileBytes', () => {
  it('is the size of the file, and 0 for :memory: or a file not there yet', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'heap-'));
    try {
      await writeFile(path.join(dir, 'db.json'), 'x'.repeat(1234));
      expect(dataFileBytes(path.join(dir, 'db.json'))).toBe(1234);
      expect(dataFileBytes(path.join(dir, 'missing.json'))).toBe(0);
      expect(dataFileBytes(':memory:')).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
