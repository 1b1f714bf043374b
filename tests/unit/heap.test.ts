import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HEAP_BOUND_FROM_BYTES, boundHeapGrowth, dataFileBytes } from '../../server/heap.js';

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
