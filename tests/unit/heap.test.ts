import { describe, expect, it } from '@jest/globals';
import { boundHeapGrowth } from '../../server/heap.js';

describe('boundHeapGrowth', () => {
  it("leaves a process started with its own --heap-growing-percent alone (V8's default is =0)", () => {
    expect(boundHeapGrowth(['--heap-growing-percent=0'])).toBe(false);
    expect(boundHeapGrowth(['--enable-source-maps', '--heap_growing_percent=100'])).toBe(false);
  });

  it('applies the bound otherwise', () => {
    expect(boundHeapGrowth(['--enable-source-maps'])).toBe(true);
  });
});
