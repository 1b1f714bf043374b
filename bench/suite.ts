// The benchmark run: for each stored-records size, write the data, cold-start the servers (timed),
// check that every server answers every workload, then measure the workloads in alternating rounds
// (A B C A B C …) so that drift on a shared machine hits every server alike.
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CannedAnswers } from './bareExpress.js';
import { benchId, benchRecords, writeDataFiles, writeEmulatorDataFile } from './dataset.js';
import { type Measurement, type Slice, combine, measure, measureSlice } from './load.js';
import type { BenchOptions } from './options.js';
import { timeSeed } from './seedTime.js';
import { type SyncLatency, flushDirtyPages, probeSyncLatency } from './syncProbe.js';
import { type RunningServer, type ServerName, type ServerSpec, childEnv, freePort, startServer } from './servers.js';
import { FIXTURE_SETS, DEFAULT_FIXTURES } from '../server/tenantData/sets.js';
import { type NewTenantTimes, timeNewTenants, writeTenantFiles } from './tenants.js';
import {
  BASELINE,
  BENCH_TENANTS,
  type BenchRequest,
  EMULATOR_FEATURES,
  EMULATOR_ONLY,
  FIXTURE_WORKLOADS,
  REQUEST_HEADERS,
  WORKLOADS,
  type Workload,
  type WorkloadContext,
  perTenant,
  requestsFor,
} from './workloads.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const JSON_SERVER_BIN = path.join(ROOT, 'node_modules/json-server/lib/bin.js');
/** Started through npm for their start-up time only: the emulator by the README's `npm start`, json-server by an npm script. */
const THROUGH_NPM: readonly ServerName[] = ['emulator-npm', 'json-server-npm'];
/** Measured at every size; the rest only at the first (smallest) size, where bare Express joins. The emulator-only
 * workloads run from the second size on, each against emulator-small (the first size) in the same rounds. */
const SCALE_WORKLOADS: readonly Workload[] = ['filter', 'expand', 'create', ...EMULATOR_ONLY];
/** Measured against emulator-small at the larger sizes. */
const PAIRED_WORKLOADS: readonly Workload[] = ['create', ...EMULATOR_ONLY];
/** Measured at the first size on fresh pairs of emulators (options.journalPairs), journal on and off: what the request journal costs. */
const JOURNAL_PAIRED: readonly Workload[] = ['create', 'get'];
/** One client alone: the latency a person clicking through a UI sees, without queueing behind others. */
const SINGLE_CLIENT: readonly Workload[] = ['nomatch', 'orderby'];
/** Access packages of the default fixtures: the size of the reset and restore rows. */
export const FIXTURE_PACKAGES = FIXTURE_SETS[DEFAULT_FIXTURES]!.accessPackages;
/** About how long one server is measured before the next takes its turn within a round (compare). */
const SLICE_S = 1;
/** Reads first, the memory sample, then writes: deletes keep the size, creates grow the collection for whatever runs after them. */
const ORDER: readonly Workload[] = ['get', 'batch', 'list', 'filter', 'expand', 'nomatch', 'orderby', 'patch', 'delete', 'create'];

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

export interface StartupRow {
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

export interface PageRow {
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

interface Probe {
  status: number;
  body: unknown;
  bytes: number;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function probe(server: RunningServer, request: BenchRequest): Promise<Probe> {
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

function recordsIn(body: unknown): number | null {
  if (Array.isArray(body)) return body.length;
  if (typeof body !== 'object' || body === null) return null;
  const page = (body as { value?: unknown; data?: unknown }).value ?? (body as { data?: unknown }).data;
  if (Array.isArray(page)) return page.length;
  return 'id' in body ? 1 : null;
}

function errorCode(body: unknown): string {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? ` ${code}` : '';
}

interface SizeFiles {
  emulator: string;
  jsonServer: string;
  canned: string;
  /** emulator-small's data file: the first size's records, written afresh for each later size. */
  small: string;
  /** emulator-policies's data file: this size's records and a policy for each. */
  policies: string;
  /** emulator-fixtures's data file, missing at its start: seeded with the default fixtures. */
  fixtures: string;
  /** emulator-journal's and emulator-nojournal's data files: this size's records, written afresh for each pair. */
  journal: string;
  noJournal: string;
  /** emulator-tenants's and emulator-one-tenant's data files: the largest size's records in 100 tenants, and in one. */
  tenants: string;
  oneTenant: string;
}

function specFor(name: ServerName, port: number, files: SizeFiles, options: BenchOptions): ServerSpec {
  const env = { PORT: String(port) };
  switch (name) {
    case 'emulator':
    case 'emulator-small':
    case 'emulator-policies':
    case 'emulator-fixtures':
    case 'emulator-journal':
    case 'emulator-nojournal':
    case 'emulator-tenants':
    case 'emulator-one-tenant':
      return {
        name,
        command: process.execPath,
        args: options.emulator === 'dist' ? ['dist/server/cli.js'] : ['--import', 'tsx', 'server/bin/cli.ts'],
        cwd: ROOT,
        // File persistence, bearer auth, no faults: the emulator as a CI job or a frontend would run it.
        env: childEnv({
          ...env,
          HOST: '127.0.0.1',
          DATA_FILE: {
            emulator: files.emulator,
            'emulator-small': files.small,
            'emulator-policies': files.policies,
            'emulator-fixtures': files.fixtures,
            'emulator-journal': files.journal,
            'emulator-nojournal': files.noJournal,
            'emulator-tenants': files.tenants,
            'emulator-one-tenant': files.oneTenant,
          }[name],
          AUTH: 'bearer',
          // What a reset restores: the defaults, stated so that the caller's environment cannot change them.
          FIXTURES: DEFAULT_FIXTURES,
          SEED: '42',
          // The journal is on by default, as a user runs the emulator; its twin runs without.
          JOURNAL: name === 'emulator-nojournal' ? 'off' : 'on',
        }),
        healthPath: '/_emulator/health',
      };
    case 'emulator-npm':
      return {
        name,
        command: 'npm',
        args: ['start'],
        cwd: ROOT,
        env: childEnv({ ...env, HOST: '127.0.0.1', DATA_FILE: files.emulator, AUTH: 'bearer' }),
        healthPath: '/_emulator/health',
      };
    case 'json-server-npm':
      // The package.json beside db.json, written with the data, has `"start": "exec node <json-server> --port $PORT db.json"`.
      return { name, command: 'npm', args: ['start'], cwd: path.dirname(files.jsonServer), env: childEnv(env), healthPath: `/accessPackages/${benchId(0)}` };
    case 'json-server':
      return {
        name,
        command: process.execPath,
        args: [JSON_SERVER_BIN, '--port', String(port), path.basename(files.jsonServer)],
        cwd: path.dirname(files.jsonServer),
        env: childEnv(env),
        healthPath: `/accessPackages/${benchId(0)}`,
      };
    case 'express':
      return {
        name,
        command: process.execPath,
        args: ['--import', 'tsx', 'bench/bareExpress.ts'],
        cwd: ROOT,
        env: childEnv({ ...env, BENCH_CANNED: files.canned }),
        healthPath: '/health',
      };
  }
}

export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchResults> {
  const dir = await mkdtemp(path.join(tmpdir(), 'accesspackages-bench-'));
  const syncLatency = { before: await probeSyncLatency(dir) } as BenchResults['syncLatency'];
  log(`fdatasync on ${dir}: median ${syncLatency.before.medianMs.toFixed(2)} ms, p90 ${syncLatency.before.p90Ms.toFixed(2)} ms`);
  const results: BenchResults = { options, rows: [], startup: [], seed: [], memory: [], answers: [], skipped: [], syncLatency };
  const running: RunningServer[] = [];
  const start = async (name: ServerName, files: SizeFiles) => {
    const port = await freePort();
    const server = await startServer(specFor(name, port, files, options), port);
    running.push(server);
    return server;
  };
  const stop = async (server: RunningServer) => {
    running.splice(running.indexOf(server), 1);
    await server.stop();
  };

  // $expand of the policies: its own emulator with a policy per package, 10 clients then one (the latency target).
  const measureExpand = async (size: number, files: SizeFiles, ctx: WorkloadContext): Promise<Row[]> => {
    await writeEmulatorDataFile(benchRecords(size), files.policies, true);
    const server = await start('emulator-policies', files);
    try {
      const answer = await probe(server, requestsFor(server.name, 'expand', ctx)[0]!);
      if (answer.status !== 200) throw new Error(`emulator-policies answers expand with ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
      results.answers.push({ workload: 'expand', size, server: server.name, status: answer.status, records: recordsIn(answer.body), bytes: answer.bytes });
      const sizeOf = () => size;
      return [
        ...(await compare('expand', [server], ctx, sizeOf, options.connections, options, log)),
        ...(await compare('expand', [server], ctx, sizeOf, 1, options, log)),
      ];
    } finally {
      await stop(server);
    }
  };

  // The journal's cost: options.journalPairs fresh pairs of emulators on the same records, journal on and off, each
  // pair measured for one round in slices in turns. Fresh pairs, because one of two identical processes can run
  // 10-15 % slower than the other for its whole life on a shared host (bench/README.md): the target reads the median
  // over the pairs.
  const measureJournalPairs = async (workload: Workload, size: number, files: SizeFiles, ctx: WorkloadContext): Promise<Row[]> => {
    const pairs: Row[][] = [];
    const records = benchRecords(size);
    for (let r = 0; r < options.journalPairs; r += 1) {
      await writeEmulatorDataFile(records, files.journal);
      await writeEmulatorDataFile(records, files.noJournal);
      const pair = [await start('emulator-journal', files), await start('emulator-nojournal', files)];
      try {
        const order = r % 2 === 0 ? pair : [...pair].reverse();
        pairs.push(await compare(workload, order, ctx, () => size, options.connections, { ...options, rounds: 1 }, log));
      } finally {
        for (const server of pair) await stop(server);
      }
    }
    return (['emulator-journal', 'emulator-nojournal'] as const).map((name) =>
      rowOf(
        workload,
        size,
        name,
        options.connections,
        pairs.flatMap((rows) => rows.find((row) => row.server === name)!.rounds),
      ),
    );
  };

  // Reset and restore of the default fixtures, one client: on their own emulator, since each replaces all data.
  const measureFixtureWorkloads = async (workloads: readonly Workload[]): Promise<Row[]> => {
    const files = { fixtures: path.join(dir, 'emulator-fixtures.json') } as SizeFiles;
    const server = await start('emulator-fixtures', files);
    const ctx: WorkloadContext = { size: FIXTURE_PACKAGES, pageSize: 100 };
    try {
      const saved = await fetch(`${server.url}/_emulator/snapshots/${BASELINE}`, { method: 'PUT' });
      if (saved.status !== 201) throw new Error(`emulator-fixtures answers PUT of a baseline with ${saved.status}: ${(await saved.text()).slice(0, 300)}`);
      const rows: Row[] = [];
      for (const workload of workloads) {
        const answer = await probe(server, requestsFor(server.name, workload, ctx)[0]!);
        if (answer.status !== 200) throw new Error(`emulator-fixtures answers ${workload} with ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
        rows.push(...(await compare(workload, [server], ctx, () => FIXTURE_PACKAGES, 1, options, log)));
      }
      return rows;
    } finally {
      await stop(server);
    }
  };

  // The largest size's records in 100 tenants: cold starts against the same records in one tenant, create and get
  // (each request in the next tenant) against bare Express in the same rounds, then the first request of new tenants.
  const measureTenants = async (total: number): Promise<void> => {
    const files: SizeFiles = {
      emulator: '',
      jsonServer: '',
      small: '',
      policies: '',
      fixtures: '',
      journal: '',
      noJournal: '',
      canned: path.join(dir, 'express-tenants.json'),
      tenants: path.join(dir, 'emulator-tenants.json'),
      oneTenant: path.join(dir, 'emulator-one-tenant.json'),
    };
    log(`${total} records in ${BENCH_TENANTS} tenants: writing data files`);
    await writeTenantFiles(total, files);
    const stored = perTenant(total) * BENCH_TENANTS;
    const started = ['emulator-one-tenant', 'emulator-tenants'] as const;
    const runsMs: Record<string, number[]> = Object.fromEntries(started.map((name) => [name, []]));
    const startupCpuMs = { oneTenant: [] as (number | null)[], tenants: [] as (number | null)[] };
    let tenants: RunningServer | undefined;
    for (let r = 0; r < options.startupRepeats; r += 1) {
      for (const name of started) {
        const server = await start(name, files);
        runsMs[name]!.push(server.startupMs);
        startupCpuMs[name === 'emulator-tenants' ? 'tenants' : 'oneTenant'].push(server.cpuMs());
        if (name === 'emulator-tenants' && r === options.startupRepeats - 1) tenants = server;
        else await stop(server);
      }
    }
    for (const name of started) {
      results.startup.push({ server: name, size: stored, medianMs: median(runsMs[name]!), runsMs: runsMs[name]! });
      log(`${stored} records: ${name} healthy after ${median(runsMs[name]!).toFixed(0)} ms`);
    }
    const server = tenants!;
    const ctx: WorkloadContext = { size: stored, pageSize: 100 };
    const canned: CannedAnswers = {};
    for (const workload of ['get', 'create'] as const) {
      const answer = await probe(server, requestsFor(server.name, workload, ctx)[0]!);
      if (answer.status < 200 || answer.status >= 300)
        throw new Error(`${server.name} answers ${workload} with ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
      canned[workload] = { status: answer.status, body: answer.body };
      results.answers.push({ workload, size: stored, server: server.name, status: answer.status, records: recordsIn(answer.body), bytes: answer.bytes });
    }
    await writeFile(files.canned, JSON.stringify(canned));
    const express = await start('express', files);
    try {
      for (const workload of ['get', 'create'] as const)
        results.rows.push(...(await compare(workload, [server, express], ctx, () => stored, options.connections, options, log)));
    } finally {
      await stop(express);
    }
    const newTenants = await timeNewTenants(server.url);
    results.tenants = { tenants: BENCH_TENANTS, perTenant: perTenant(total), newTenants, startupCpuMs };
    log(
      `first request of ${newTenants.count} new tenants, one client: p50 ${newTenants.p50Ms.toFixed(2)} ms, p99 ${newTenants.p99Ms.toFixed(1)} ms (the first of the process: ${newTenants.firstMs.toFixed(0)} ms)`,
    );
    await stop(server);
  };

  let supported: Workload[] | undefined;
  try {
    // First, on a machine no server of the benchmark is loading yet.
    if (options.seed) {
      const packages = Math.max(...options.sizes);
      const runs = [];
      for (let r = 0; r < options.startupRepeats; r += 1) runs.push(await timeSeed(packages, path.join(dir, `seed-${r}.json`)));
      const runsMs = runs.map((run) => run.ms);
      const cpu = runs.map((run) => run.cpuMs);
      const cpuMedianMs = cpu.every((ms) => ms !== null) ? median(cpu as number[]) : null;
      results.seed.push({ packages, medianMs: median(runsMs), runsMs, cpuMedianMs });
      log(
        `npm run seed of ${packages} packages: ${(median(runsMs) / 1000).toFixed(1)} s (CPU ${cpuMedianMs === null ? 'n/a' : (cpuMedianMs / 1000).toFixed(1)} s)`,
      );
    }
    const fixtureWorkloads = FIXTURE_WORKLOADS.filter((w) => options.workloads.includes(w));
    if (fixtureWorkloads.length > 0) results.rows.push(...(await measureFixtureWorkloads(fixtureWorkloads)));
    // Without an HTTP workload at the sizes (--workloads seed, or reset,restore) no other server is started.
    const sizes = options.workloads.some((w) => !FIXTURE_WORKLOADS.includes(w)) ? options.sizes : [];
    for (const [step, size] of sizes.entries()) {
      const files: SizeFiles = {
        emulator: path.join(dir, `emulator-${size}.json`),
        jsonServer: path.join(dir, `json-server-${size}`, 'db.json'),
        canned: path.join(dir, 'express-answers.json'),
        small: path.join(dir, `emulator-small-${size}.json`),
        policies: path.join(dir, `emulator-policies-${size}.json`),
        fixtures: path.join(dir, 'emulator-fixtures.json'),
        journal: path.join(dir, `emulator-journal-${size}.json`),
        noJournal: path.join(dir, `emulator-nojournal-${size}.json`),
        tenants: path.join(dir, `emulator-tenants-${size}.json`),
        oneTenant: path.join(dir, `emulator-one-tenant-${size}.json`),
      };
      await mkdir(path.dirname(files.jsonServer), { recursive: true });
      log(`${size} records: writing data files`);
      await writeDataFiles(benchRecords(size), files);
      await writeFile(
        path.join(path.dirname(files.jsonServer), 'package.json'),
        JSON.stringify({ private: true, scripts: { start: `exec node ${JSON_SERVER_BIN} --port $PORT db.json` } }),
      );
      const dataFileBytes: Record<ServerName, number | null> = {
        emulator: (await stat(files.emulator)).size,
        'json-server': (await stat(files.jsonServer)).size,
        express: null,
        'emulator-small': null,
        'emulator-policies': null,
        'emulator-fixtures': null,
        'emulator-journal': null,
        'emulator-nojournal': null,
        'emulator-tenants': null,
        'emulator-one-tenant': null,
        'emulator-npm': null,
        'json-server-npm': null,
      };

      // Cold starts, alternating; the last start of each direct one is the one measured below. Those through npm
      // go first in each round and are stopped at once: the emulator's data file has one holder at a time.
      const servers = new Map<ServerName, RunningServer>();
      const started = [...THROUGH_NPM, 'emulator', 'json-server'] as const;
      const runsMs: Record<string, number[]> = Object.fromEntries(started.map((name) => [name, []]));
      for (let r = 0; r < options.startupRepeats; r += 1) {
        for (const name of started) {
          const server = await start(name, files);
          runsMs[name]!.push(server.startupMs);
          if (r < options.startupRepeats - 1 || THROUGH_NPM.includes(name)) await stop(server);
          else servers.set(name, server);
        }
      }
      for (const name of started) {
        results.startup.push({ server: name, size, medianMs: median(runsMs[name]!), runsMs: runsMs[name]! });
        log(`${size} records: ${name} healthy after ${median(runsMs[name]!).toFixed(0)} ms`);
      }

      const afterStart = new Map([...servers.values()].map((s) => [s.name, s.rssBytes()]));

      // The emulator's own answers decide what is comparable: its page size, and which workloads it serves.
      const emulator = servers.get('emulator')!;
      const listProbe = await probe(emulator, requestsFor('emulator', 'list', { size, pageSize: 0 })[0]!);
      const ctx: WorkloadContext = { size, pageSize: recordsIn(listProbe.body) || 100 };
      if (supported === undefined) {
        supported = [];
        const canned: CannedAnswers = {};
        for (const workload of WORKLOADS.filter((w) => !FIXTURE_WORKLOADS.includes(w))) {
          const answer = await probe(emulator, requestsFor('emulator', workload, ctx)[0]!);
          if (answer.status >= 200 && answer.status < 300) {
            supported.push(workload);
            if (!EMULATOR_ONLY.includes(workload) && !EMULATOR_FEATURES.includes(workload))
              canned[workload as keyof CannedAnswers] = { status: answer.status, body: answer.body };
          } else {
            results.skipped.push({ workload, reason: `the emulator answers ${answer.status}${errorCode(answer.body)}` });
            log(`skipping ${workload}: the emulator answers ${answer.status}${errorCode(answer.body)}`);
          }
        }
        await writeFile(files.canned, JSON.stringify(canned));
        const express = await start('express', files);
        servers.set('express', express);
        afterStart.set('express', express.rssBytes());
      }

      const atThisSize = (w: Workload) => (step === 0 ? !EMULATOR_ONLY.includes(w) || options.sizes.length === 1 : SCALE_WORKLOADS.includes(w));
      const workloads = ORDER.filter((w) => supported!.includes(w) && options.workloads.includes(w) && atThisSize(w));
      const all = [...servers.values()];
      const serversFor = (workload: Workload) =>
        EMULATOR_ONLY.includes(workload) || EMULATOR_FEATURES.includes(workload) ? all.filter((s) => s.name === 'emulator') : all;
      for (const workload of workloads.filter((w) => w !== 'expand')) {
        for (const server of serversFor(workload)) {
          const answer = await probe(server, requestsFor(server.name, workload, ctx)[0]!);
          // A batch answers 200 whatever its items did: each of them must have succeeded too.
          const items = workload === 'batch' ? ((answer.body as { responses?: Array<{ status: number }> }).responses ?? []) : [];
          if (answer.status < 200 || answer.status >= 300 || items.some((item) => item.status !== 200))
            throw new Error(`${server.name} answers ${workload} with ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
          results.answers.push({ workload, size, server: server.name, status: answer.status, records: recordsIn(answer.body), bytes: answer.bytes });
        }
      }

      // Create, delete and the emulator-only reads at this size are compared with the same workload at the first
      // size, measured in the same rounds.
      let small: RunningServer | undefined;
      if (step > 0 && workloads.some((w) => PAIRED_WORKLOADS.includes(w))) {
        await writeEmulatorDataFile(benchRecords(options.sizes[0]!), files.small);
        small = await start('emulator-small', files);
      }
      const sizeOf = (server: RunningServer) => (server.name === 'emulator-small' ? options.sizes[0]! : size);

      const sampleMemory = () => {
        for (const server of all) {
          results.memory.push({
            server: server.name,
            size,
            rssAfterStartBytes: afterStart.get(server.name) ?? null,
            peakRssBytes: server.peakRssBytes(),
            dataFileBytes: dataFileBytes[server.name],
          });
        }
      };
      const firstWrite = workloads.find((w) => w === 'delete' || w === 'create');
      for (const workload of workloads) {
        if (workload === firstWrite) sampleMemory();
        if (workload === 'expand') {
          results.rows.push(...(await measureExpand(size, files, ctx)));
          continue;
        }
        const measured = serversFor(workload);
        const compared = PAIRED_WORKLOADS.includes(workload) && small ? [...measured, small] : measured;
        const clients = SINGLE_CLIENT.includes(workload) ? 1 : options.connections;
        results.rows.push(...(await compare(workload, compared, ctx, sizeOf, clients, options, log)));
        if (workload === 'filter')
          results.rows.push(
            ...(await compare(
              workload,
              measured.filter((s) => s.name !== 'express'),
              ctx,
              sizeOf,
              1,
              options,
              log,
            )),
          );
      }
      if (firstWrite === undefined) sampleMemory();
      for (const server of [...all, ...(small ? [small] : [])]) await stop(server);
      if (step === 0)
        for (const workload of workloads.filter((w) => JOURNAL_PAIRED.includes(w)))
          results.rows.push(...(await measureJournalPairs(workload, size, files, ctx)));
    }
    if (options.tenants) await measureTenants(Math.max(...options.sizes));
    syncLatency.after = await probeSyncLatency(dir);
  } finally {
    await Promise.all(running.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

async function compare(
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
        taken.get(server.name)!.push(await measureSlice(server.url, requests.get(server.name)!, load, () => server.cpuMs()));
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

/** A row of the report: its rounds, and their medians. */
function rowOf(workload: Workload, size: number, server: ServerName, connections: number, ms: Measurement[]): Row {
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
