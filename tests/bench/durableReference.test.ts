// The line the report prints under the targets: a durable create's cost to bare Express, and the emulator's create
// against that, each the median of the per-round ratios (rounds measured side by side), as the targets read theirs.
import { describe, expect, it } from '@jest/globals';
import type { Measurement } from '../../bench/load.js';
import type { BenchOptions } from '../../bench/options.js';
import { type BenchResults, rowOf } from '../../bench/results.js';
import type { ServerName } from '../../bench/servers.js';
import { durableCreateReference, messageClassesReference } from '../../bench/targets.js';

const round = (reqPerSec: number, cpuUsPerRequest: number | null): Measurement => ({
  reqPerSec,
  p50Ms: 1,
  p99Ms: 2,
  requests: reqPerSec * 5,
  non2xx: 0,
  errors: 0,
  durationS: 5,
  cpuUsPerRequest,
});

function results(rows: Record<string, [number, number | null][]>, connections = 10, workload: 'create' | 'get' = 'create'): BenchResults {
  return {
    options: { sizes: [100, 100_000], connections } as BenchOptions,
    rows: Object.entries(rows).map(([server, rounds]) =>
      rowOf(
        workload,
        100,
        server as ServerName,
        connections,
        rounds.map(([perSec, cpu]) => round(perSec, cpu)),
      ),
    ),
    startup: [],
    seed: [],
    memory: [],
    answers: [],
    skipped: [],
    syncLatency: { before: { medianMs: 0.2, p90Ms: 0.3 } as BenchResults['syncLatency']['before'] },
  };
}

describe('durableCreateReference', () => {
  it('reads the median of the per-round ratios, not the ratio of the medians, and the median CPU of each server', () => {
    const line = durableCreateReference(
      results({
        // Per round: durable / Express = 0.5, 0.25, 0.8 (median 0.5); emulator / durable = 0.9, 2.0, 0.5 (median 0.9).
        express: [
          [4000, 200],
          [4000, 210],
          [1000, 400],
        ],
        'express-durable': [
          [2000, 300],
          [1000, 320],
          [800, 500],
        ],
        emulator: [
          [1800, 500],
          [2000, 520],
          [400, 900],
        ],
      }),
    );
    expect(line).toBe(
      'Reference, not a target: bare Express that makes each create durable (append + fdatasync, group commit) reads 0.50× bare Express ' +
        "on create (CPU per create 320 µs against 210 µs); the emulator's create reads 0.90× that durable Express (CPU 520 µs).",
    );
  });

  it('says n/a for CPU where it could not be read, and prints nothing without all three create rows at the first size', () => {
    const line = durableCreateReference(results({ express: [[1000, null]], 'express-durable': [[500, null]], emulator: [[450, 700]] }));
    expect(line).toContain('reads 0.50× bare Express on create (CPU per create n/a against n/a)');
    expect(line).toContain('reads 0.90× that durable Express (CPU 700 µs)');
    expect(durableCreateReference(results({ express: [[1000, 1]], emulator: [[500, 1]] }))).toBeUndefined();
    expect(durableCreateReference(results({ express: [[1000, 1]], 'express-durable': [[500, 1]] }))).toBeUndefined();
    expect(durableCreateReference(results({ 'express-durable': [[500, 1]], emulator: [[450, 1]] }))).toBeUndefined();
  });
});

describe('messageClassesReference', () => {
  it('reads bare Express served with the message classes against bare Express, and the emulator against it, per round', () => {
    // get: classes / Express = 2.0, 1.5, 3.0 (median 2.0); emulator / classes = 0.5, 1.0, 0.25 (median 0.5).
    const get = results(
      {
        express: [
          [1000, 1],
          [2000, 1],
          [1000, 1],
        ],
        'express-classes': [
          [2000, 1],
          [3000, 1],
          [3000, 1],
        ],
        emulator: [
          [1000, 1],
          [3000, 1],
          [750, 1],
        ],
      },
      10,
      'get',
    );
    expect(messageClassesReference(get)).toBe(
      "Reference, not a target: bare Express served as the emulator serves its app (requests and responses made with the app's prototypes): " +
        'on get it reads 2.00× bare Express, and the emulator 0.50× it.',
    );
    const create = results({ express: [[1000, 1]], 'express-classes': [[1250, 1]], emulator: [[1000, 1]] });
    const both = { ...get, rows: [...get.rows, ...create.rows] };
    expect(messageClassesReference(both)).toContain(
      'on get it reads 2.00× bare Express, and the emulator 0.50× it; on create it reads 1.25× bare Express, and the emulator 0.80× it.',
    );
  });

  it('prints nothing without the three rows of a workload at the first size', () => {
    expect(messageClassesReference(results({ express: [[1000, 1]], emulator: [[500, 1]] }, 10, 'get'))).toBeUndefined();
    expect(messageClassesReference(results({ 'express-classes': [[1000, 1]], emulator: [[500, 1]] }))).toBeUndefined();
    expect(messageClassesReference(results({ express: [[1000, 1]], 'express-classes': [[500, 1]] }))).toBeUndefined();
  });
});
