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

/** The server's CPU time is what a shared machine distorts least: throughput also depends on the load generator. */
export async function measure(url: string, requests: readonly BenchRequest[], options: LoadOptions, cpuMs: () => number | null = () => null): Promise<Measurement> {
  const cpuBefore = cpuMs();
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationS,
    headers: REQUEST_HEADERS,
    requests: requests.map((r) => ({ method: r.method, path: r.path, ...(r.body === undefined ? {} : { body: r.body }) })),
  });
  const cpuAfter = cpuMs();
  const durationS = result.duration > 0 ? result.duration : options.durationS;
  return {
    // Completed requests over the measured time, not the mean of per-second samples (too few in a short run).
    reqPerSec: result.requests.total / durationS,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    durationS,
    cpuUsPerRequest: cpuBefore === null || cpuAfter === null || result.requests.total === 0 ? null : ((cpuAfter - cpuBefore) * 1000) / result.requests.total,
  };
}
