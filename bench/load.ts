// One measurement: autocannon against one server for a fixed time at a fixed concurrency.
import autocannon from 'autocannon';
import { type BenchRequest, REQUEST_HEADERS } from './workloads.js';

export interface LoadOptions {
  connections: number;
  durationS: number;
}

export interface Measurement {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Answers outside 2xx: a broken workload, not a slow one. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  durationS: number;
  /** The server's CPU time (all its threads) per answered request, in µs; null where it cannot be read. */
  cpuUsPerRequest: number | null;
}

/** Nearest-rank percentile of sorted values; 0 when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/** The server's CPU time is what a shared machine distorts least: throughput also depends on the load generator. */
export async function measure(
  url: string,
  requests: readonly BenchRequest[],
  options: LoadOptions,
  cpuMs: () => number | null = () => null,
): Promise<Measurement> {
  const cpuBefore = cpuMs();
  // autocannon's own histogram keeps whole milliseconds; sub-millisecond answers need the raw durations.
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: options.connections,
        duration: options.durationS,
        // autocannon only notices the end of the duration at its next sample; sample often so it stops on time.
        sampleInt: 100,
        headers: REQUEST_HEADERS,
        requests: requests.map((r) => ({ method: r.method, path: r.path, ...(r.body === undefined ? {} : { body: r.body }) })),
      },
      (err, done) => (err ? reject(err as Error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  const cpuAfter = cpuMs();
  const durationS = result.duration > 0 ? result.duration : options.durationS;
  return {
    // Completed requests over the measured time, not the mean of per-second samples (too few in a short run).
    reqPerSec: result.requests.total / durationS,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    durationS,
    cpuUsPerRequest: cpuBefore === null || cpuAfter === null || result.requests.total === 0 ? null : ((cpuAfter - cpuBefore) * 1000) / result.requests.total,
  };
}
