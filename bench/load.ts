// One measurement: autocannon against one server for a fixed time at a fixed concurrency.
import autocannon from 'autocannon';
import { type BenchRequest, REQUEST_HEADERS } from './workloads.js';

interface LoadOptions {
  connections: number;
  durationS: number;
}

export interface Measurement {
  /** Counted requests (a workload's set-up requests are answered but not counted) per second. */
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Answers outside 2xx: a broken workload, not a slow one. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  durationS: number;
  /** The server's CPU time (all its threads) per counted request, set-up requests' share included, in µs; null where it cannot be read. */
  cpuUsPerRequest: number | null;
}

/** Nearest-rank percentile of sorted values; 0 when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * autocannon notices the end of its duration only at its next sample: every 100 ms, so that a run stops on time,
 * and sooner for a run shorter than that (the smoke preset's), which would otherwise last the whole 100 ms.
 */
export const sampleIntervalMs = (durationS: number): number => Math.max(1, Math.min(100, Math.round(durationS * 1000)));

/** The server's CPU time is what a shared machine distorts least: throughput also depends on the load generator. */
export async function measure(
  url: string,
  requests: readonly BenchRequest[],
  options: LoadOptions,
  cpuMs: () => number | null = () => null,
): Promise<Measurement> {
  return (await measureSlice(url, requests, options, cpuMs)).measurement;
}

/** One measurement and the raw figures behind it, for a caller that adds slices up (combine). */
export interface Slice {
  measurement: Measurement;
  /** Every counted answer's time, sorted. */
  latencies: number[];
  /** The server's CPU time over the slice; null where it cannot be read. */
  cpuMs: number | null;
}

export async function measureSlice(
  url: string,
  requests: readonly BenchRequest[],
  options: LoadOptions,
  cpuMs: () => number | null = () => null,
): Promise<Slice> {
  const cpuBefore = cpuMs();
  // autocannon's own histogram keeps whole milliseconds; sub-millisecond answers need the raw durations.
  const latencies: number[] = [];
  let counted = true;
  const mixed = requests.some((r) => r.uncounted);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: options.connections,
        duration: options.durationS,
        sampleInt: sampleIntervalMs(options.durationS),
        headers: REQUEST_HEADERS,
        requests: requests.map((r) => toAutocannon(r, mixed ? (isCounted) => (counted = isCounted) : undefined)),
      },
      (err, done) => (err ? reject(err as Error) : resolve(done)),
    );
    // autocannon calls a request's onResponse just before it reports the answer's time: `counted` says whose it is.
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (counted) latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  const cpuAfter = cpuMs();
  const durationS = result.duration > 0 ? result.duration : options.durationS;
  const total = mixed ? latencies.length : result.requests.total;
  const cpuTotalMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  return { measurement: measurementOf(total, durationS, latencies, result.non2xx, result.errors, cpuTotalMs), latencies, cpuMs: cpuTotalMs };
}

function measurementOf(total: number, durationS: number, sorted: readonly number[], non2xx: number, errors: number, cpuTotalMs: number | null): Measurement {
  return {
    // Completed requests over the measured time, not the mean of per-second samples (too few in a short run).
    reqPerSec: total / durationS,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    requests: total,
    non2xx,
    errors,
    durationS,
    cpuUsPerRequest: cpuTotalMs === null || total === 0 ? null : (cpuTotalMs * 1000) / total,
  };
}

/** Slices of one server added up into one measurement: requests over their summed time, percentiles of all their answers. */
export function combine(slices: readonly Slice[]): Measurement {
  if (slices.length === 1) return slices[0]!.measurement;
  const latencies = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const sum = (pick: (m: Measurement) => number) => slices.reduce((n, s) => n + pick(s.measurement), 0);
  const total = sum((m) => m.requests);
  const cpuTotalMs = slices.every((s) => s.cpuMs !== null) ? slices.reduce((n, s) => n + s.cpuMs!, 0) : null;
  return measurementOf(
    total,
    sum((m) => m.durationS),
    latencies,
    sum((m) => m.non2xx),
    sum((m) => m.errors),
    cpuTotalMs,
  );
}

/**
 * A request as autocannon takes it; `answered`, if given, learns before autocannon reports the time whether the
 * answer counts (autocannon then also decodes every answer's headers for onResponse: only where needed).
 */
export function toAutocannon(request: BenchRequest, answered?: (counted: boolean) => void): autocannon.Request {
  const { setupRequest, onResponse } = request;
  return {
    method: request.method,
    path: request.path,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    // autocannon replaces its default set-up with whatever key is there, even undefined: only set what exists.
    ...(setupRequest === undefined ? {} : { setupRequest: (req: autocannon.Request) => setupRequest(req as BenchRequest) as autocannon.Request }),
    ...(answered === undefined && onResponse === undefined
      ? {}
      : {
          onResponse: (status: number, body: string) => {
            answered?.(!request.uncounted);
            onResponse?.(status, body);
          },
        }),
  };
}
