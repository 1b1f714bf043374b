// The benchmark's slices: a server measured in several short turns within a round reads as one measurement
// of their summed time, with the percentiles of all their answers and the CPU they used together; a run shorter than
// autocannon's sample interval ends on time; and what each preset measures for how long.
import { describe, expect, it } from '@jest/globals';
import { type Measurement, type Slice, combine, sampleIntervalMs } from '../../bench/load.js';
import { type BenchOptions, parseBenchArgs } from '../../bench/options.js';

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

describe('sampleIntervalMs', () => {
  // autocannon ends a run at its first sample after the duration: a run shorter than the interval would last it all.
  it('samples every 100 ms, and within a run shorter than that', () => {
    expect([5, 1, 0.5, 0.1, 0.05, 0.02].map(sampleIntervalMs)).toEqual([100, 100, 100, 100, 50, 20]);
  });
});

describe('the presets', () => {
  it('measure in whole-second slices and time start-ups to 5 ms; the smoke run takes the shortest slices, asks less often and adds fewer tenants', () => {
    const keys = ['durationS', 'warmupS', 'rounds', 'journalPairs', 'connections', 'startupRepeats', 'healthPollMs', 'newTenants'] as const;
    const of = (argv: string[]) => {
      const options = parseBenchArgs(argv) as BenchOptions;
      return [options.sizes, ...keys.map((key) => options[key])];
    };
    // In the order of `keys`, after the sizes.
    expect(of([])).toEqual([[100, 10_000, 100_000], 5, 1, 3, 5, 10, 7, 5, 200]);
    expect(of(['--quick'])).toEqual([[100, 10_000, 100_000], 2, 0.5, 1, 1, 10, 1, 5, 200]);
    expect(of(['--smoke'])).toEqual([[50, 500], 0.05, 0.05, 1, 1, 4, 1, 25, 20]);
  });
});
