// What a benchmark run produces: its rows (one per workload, size, server and client count, with its rounds), the
// start-ups, the seed runs, memory, the answers each server gave, and the medians the report and targets read.
import type { Measurement } from './load.js';
import type { BenchOptions } from './options.js';
import type { SyncLatency } from './syncProbe.js';
import type { ServerName } from './servers.js';
import type { NewTenantTimes } from './tenants.js';
import type { Workload } from './workloads.js';

export interface Row {
  workload: Workload;
  size: number;
  server: ServerName;
  connections: number;
  /** Medians over the rounds. */
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerRequest: number | null;
  /** Answered requests over all rounds. */
  requests: number;
  non2xx: number;
  errors: number;
  rounds: Measurement[];
}

interface StartupRow {
  server: ServerName;
  size: number;
  medianMs: number;
  runsMs: number[];
}

/** `npm run seed` writing a tenant of `packages` access packages, from spawn to exit. */
export interface SeedRow {
  packages: number;
  medianMs: number;
  runsMs: number[];
  /** Median CPU time of the runs (user + system); null where /proc is unavailable. */
  cpuMedianMs: number | null;
}

export interface MemoryRow {
  server: ServerName;
  size: number;
  /** Right after start-up: the records loaded, nothing served yet. */
  rssAfterStartBytes: number | null;
  /** The peak from start through the read workloads (before any delete or create). */
  peakRssBytes: number | null;
  /** The file the server loaded its records from. */
  dataFileBytes: number | null;
}

interface PageRow {
  workload: Workload;
  size: number;
  server: ServerName;
  status: number;
  /** Records in the answer (a page's value/data, or 1 for an entity). */
  records: number | null;
  bytes: number;
}

export interface BenchResults {
  options: BenchOptions;
  rows: Row[];
  startup: StartupRow[];
  seed: SeedRow[];
  memory: MemoryRow[];
  answers: PageRow[];
  skipped: { workload: Workload; reason: string }[];
  /** Append + fdatasync on the data files' disk, measured before and after the run. */
  syncLatency: { before: SyncLatency; after?: SyncLatency };
  /** The tenants workload: its start-up and create/get rows are in `startup` and `rows` (emulator-tenants). */
  tenants?: {
    tenants: number;
    perTenant: number;
    newTenants: NewTenantTimes;
    /** CPU time of each cold start, spawn to healthy (null where /proc is unavailable): what other load distorts least. */
    startupCpuMs: { oneTenant: (number | null)[]; tenants: (number | null)[] };
  };
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A row of the report: its rounds, and their medians. */
export function rowOf(workload: Workload, size: number, server: ServerName, connections: number, ms: Measurement[]): Row {
  return {
    workload,
    size,
    server,
    connections,
    reqPerSec: median(ms.map((m) => m.reqPerSec)),
    p50Ms: median(ms.map((m) => m.p50Ms)),
    p99Ms: median(ms.map((m) => m.p99Ms)),
    cpuUsPerRequest: ms.some((m) => m.cpuUsPerRequest === null) ? null : median(ms.map((m) => m.cpuUsPerRequest!)),
    requests: ms.reduce((n, m) => n + m.requests, 0),
    non2xx: ms.reduce((n, m) => n + m.non2xx, 0),
    errors: ms.reduce((n, m) => n + m.errors, 0),
    rounds: ms,
  };
}
