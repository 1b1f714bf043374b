// Measuring servers side by side: a probe of each server's answer, a warm-up, then rounds in which each server
// gets its time in slices taken in turns, so that drift on a shared machine hits every server alike.
import { type Measurement, type Slice, combine, measure, measureSlice } from './load.js';
import type { BenchOptions } from './options.js';
import { type Row, rowOf } from './results.js';
import type { RunningServer, ServerName } from './servers.js';
import { flushDirtyPages } from './syncProbe.js';
import { type BenchRequest, REQUEST_HEADERS, type Workload, type WorkloadContext, requestsFor } from './workloads.js';

/** About how long one server is measured before the next takes its turn within a round (compare). */
const SLICE_S = 1;

interface Probe {
  status: number;
  body: unknown;
  bytes: number;
}

export async function probe(server: RunningServer, request: BenchRequest): Promise<Probe> {
  const res = await fetch(`${server.url}${request.path}`, { method: request.method, headers: REQUEST_HEADERS, body: request.body ?? null });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, bytes: Buffer.byteLength(text) };
}

export function recordsIn(body: unknown): number | null {
  if (Array.isArray(body)) return body.length;
  if (typeof body !== 'object' || body === null) return null;
  const page = (body as { value?: unknown; data?: unknown }).value ?? (body as { data?: unknown }).data;
  if (Array.isArray(page)) return page.length;
  return 'id' in body ? 1 : null;
}

export function errorCode(body: unknown): string {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? ` ${code}` : '';
}

export async function compare(
  workload: Workload,
  servers: readonly RunningServer[],
  ctx: WorkloadContext,
  sizeOf: (server: RunningServer) => number,
  connections: number,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<Row[]> {
  const requests = new Map(servers.map((s) => [s.name, requestsFor(s.name, workload, { ...ctx, size: sizeOf(s) })]));
  const writes = requests.get(servers[0]!.name)!.some((r) => r.method !== 'GET');
  for (const server of servers) await warmUp(server.url, requests.get(server.name)!, connections, options.warmupS);
  const rounds = new Map<ServerName, Measurement[]>(servers.map((s) => [s.name, []]));
  // A round gives each server durationS, in slices of about SLICE_S taken in turns (A B C, then C B A, ...):
  // the machine's capacity drifts over seconds on a shared host, and servers measured in alternating slices
  // see the same drift, where back-to-back windows of 5 s each could see very different machines.
  const slices = Math.max(1, Math.round(options.durationS / SLICE_S));
  for (let r = 0; r < options.rounds; r += 1) {
    const taken = new Map<ServerName, Slice[]>(servers.map((s) => [s.name, []]));
    for (let slice = 0; slice < slices; slice += 1) {
      // Every other slice (and round) in the reverse order, so that no server always runs first (after a warm-up,
      // or right after another's load) or last: a pair such as the journal's is measured A B, then B A.
      for (const server of (r * slices + slice) % 2 === 0 ? servers : [...servers].reverse()) {
        // Each server starts its slice on a disk with no other server's writes still pending.
        if (writes) flushDirtyPages();
        const load = { connections, durationS: options.durationS / slices };
        taken.get(server.name)!.push(await sliceWithAnswers(server, requests.get(server.name)!, load, log));
      }
    }
    for (const server of servers) {
      const m = combine(taken.get(server.name)!);
      rounds.get(server.name)!.push(m);
      log(
        `${workload} @${ctx.size} ×${connections} ${server.name}: ${m.reqPerSec.toFixed(0)} req/s, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(1)} ms${m.cpuUsPerRequest === null ? '' : `, ${m.cpuUsPerRequest.toFixed(0)} µs CPU/request`}${m.non2xx + m.errors > 0 ? `, ${m.non2xx} non-2xx, ${m.errors} errors` : ''}`,
      );
    }
  }
  return servers.map((server) => rowOf(workload, ctx.size, server.name, connections, rounds.get(server.name)!));
}

/** Tries of a slice shorter than SLICE_S that ended before any answer. */
const MAX_EMPTY_SLICES = 5;

/**
 * One slice of load on `server`. A slice shorter than SLICE_S (the smoke preset's 0.05 s, which checks the harness
 * and measures nothing) can end before any answer when the loaded machine stalls the server for that long: such a
 * slice is taken again, each time twice as long (up to SLICE_S, which stands as measured), a few times at most, so
 * that a row with no answer still means a server that answers nothing, not a stall longer than three short tries.
 */
export async function sliceWithAnswers(
  server: RunningServer,
  requests: readonly BenchRequest[],
  load: { connections: number; durationS: number },
  log: (line: string) => void,
): Promise<Slice> {
  let tried = load;
  for (let attempt = 1; ; attempt += 1) {
    const slice = await measureSlice(server.url, requests, tried, () => server.cpuMs());
    const { requests: answered, errors } = slice.measurement;
    if (answered > 0 || errors > 0 || tried.durationS >= SLICE_S || attempt === MAX_EMPTY_SLICES) return slice;
    log(`${server.name}: no answer within a ${tried.durationS} s slice; taking it again`);
    tried = { ...tried, durationS: Math.min(SLICE_S, tried.durationS * 2) };
  }
}

/** Warm-ups of warmupS at most, before a server has answered a request per connection. */
const MAX_WARM_UPS = 20;

/**
 * A warm-up lasts warmupS, and is repeated while the server has not yet answered a request per connection: a fresh
 * process compiles each path on its first requests (ajv's validators, V8's optimised code), which on a loaded machine
 * can outlast a short warm-up and leave a measured slice with no answer at all.
 */
async function warmUp(url: string, requests: readonly BenchRequest[], connections: number, durationS: number): Promise<void> {
  for (let i = 0; i < MAX_WARM_UPS; i += 1) {
    if ((await measure(url, requests, { connections, durationS })).requests >= connections) return;
  }
}
