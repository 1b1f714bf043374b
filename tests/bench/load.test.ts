// The benchmark's slices: a server measured in several short turns within a round reads as one measurement
// of their summed time, with the percentiles of all their answers and the CPU they used together.
import { describe, expect, it } from '@jest/globals';
import { type Measurement, type Slice, combine } from '../../bench/load.js';

function slice(latencies: number[], durationS: number, cpuUsPerRequest: number | null, failed = { non2xx: 0, errors: 0 }): Slice {
  const measurement: Measurement = {
    reqPerSec: latencies.length / durationS,
    p50Ms: 0,
    p99Ms: 0,
    requests: latencies.length,
    durationS,
    cpuUsPerRequest,
    ...failed,
  };
  const cpuMs = cpuUsPerRequest === null ? null : (cpuUsPerRequest * latencies.length) / 1000;
  return { measurement, latencies: [...latencies].sort((a, b) => a - b), cpuMs };
}

describe('combine', () => {
  it('adds slices up: requests over their summed time, percentiles of every answer, CPU per request over all of them', () => {
    const fast = slice(
      Array.from({ length: 300 }, () => 1),
      1,
      100,
    );
    const slow = slice(
      Array.from({ length: 100 }, (_, i) => 10 + i),
      2,
      300,
      { non2xx: 2, errors: 1 },
    );
    const combined = combine([fast, slow]);
    expect(combined).toEqual({
      reqPerSec: 400 / 3,
      // 400 answers: the 200th is still one of the fast ones, the 396th the 96th of the slow ones (10 + 95).
      p50Ms: 1,
      p99Ms: 105,
      requests: 400,
      non2xx: 2,
      errors: 1,
      durationS: 3,
      // 300 × 100 µs + 100 × 300 µs over 400 requests.
      cpuUsPerRequest: 150,
    });
  });

  it('knows no CPU figure when a slice has none, and gives a lone slice back as measured', () => {
    const known = slice([1, 2, 3], 1, 50);
    expect(combine([known, slice([4], 1, null)]).cpuUsPerRequest).toBeNull();
    expect(combine([known])).toBe(known.measurement);
  });
});
