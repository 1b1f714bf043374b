// The workloads measured on emulators started for them alone, apart from the sizes' servers: $expand (an emulator
// with a policy per package), the journal's cost (fresh pairs, journal on and off), reset and restore (the default
// fixtures, replaced at every answer), and the largest size's records in 100 tenants.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CannedAnswers } from './bareExpress.js';
import type { BenchRun } from './benchRun.js';
import { compare, probe, recordsIn } from './compare.js';
import { benchRecords, writeEmulatorDataFile } from './dataset.js';
import { type Row, median, rowOf } from './results.js';
import type { SizeFiles } from './serverSpecs.js';
import type { RunningServer } from './servers.js';
import { timeNewTenants, writeTenantFiles } from './tenants.js';
import { BASELINE, BENCH_TENANTS, FIXTURE_PACKAGES, type Workload, type WorkloadContext, perTenant, requestsFor } from './workloads.js';

// $expand of the policies: its own emulator with a policy per package, 10 clients then one (the latency target).
export async function measureExpand(run: BenchRun, size: number, files: SizeFiles, ctx: WorkloadContext): Promise<Row[]> {
  const { options, log, results } = run;
  await writeEmulatorDataFile(benchRecords(size), files.policies, true);
  const server = await run.start('emulator-policies', files);
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
    await run.stop(server);
  }
}

// The journal's cost: options.journalPairs fresh pairs of emulators on the same records, journal on and off, each
// pair measured for one round in slices in turns. Fresh pairs, because one of two identical processes can run
// 10-15 % slower than the other for its whole life on a shared host (bench/README.md): the target reads the median
// over the pairs.
export async function measureJournalPairs(run: BenchRun, workload: Workload, size: number, files: SizeFiles, ctx: WorkloadContext): Promise<Row[]> {
  const { options, log } = run;
  const pairs: Row[][] = [];
  const records = benchRecords(size);
  for (let r = 0; r < options.journalPairs; r += 1) {
    await writeEmulatorDataFile(records, files.journal);
    await writeEmulatorDataFile(records, files.noJournal);
    const pair = [await run.start('emulator-journal', files), await run.start('emulator-nojournal', files)];
    try {
      const order = r % 2 === 0 ? pair : [...pair].reverse();
      pairs.push(await compare(workload, order, ctx, () => size, options.connections, { ...options, rounds: 1 }, log));
    } finally {
      for (const server of pair) await run.stop(server);
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
}

// Reset and restore of the default fixtures, one client: on their own emulator, since each replaces all data.
export async function measureFixtureWorkloads(run: BenchRun, workloads: readonly Workload[]): Promise<Row[]> {
  const { options, log } = run;
  const files = { fixtures: path.join(run.dir, 'emulator-fixtures.json') } as SizeFiles;
  const server = await run.start('emulator-fixtures', files);
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
    await run.stop(server);
  }
}

// The largest size's records in 100 tenants: cold starts against the same records in one tenant, create and get
// (each request in the next tenant) against bare Express in the same rounds, then the first request of new tenants.
export async function measureTenants(run: BenchRun, total: number): Promise<void> {
  const { options, log, results, dir } = run;
  const files: SizeFiles = {
    emulator: '',
    jsonServer: '',
    small: '',
    policies: '',
    fixtures: '',
    journal: '',
    noJournal: '',
    canned: path.join(dir, 'express-tenants.json'),
    durable: '',
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
      const server = await run.start(name, files);
      runsMs[name]!.push(server.startupMs);
      startupCpuMs[name === 'emulator-tenants' ? 'tenants' : 'oneTenant'].push(server.cpuMs());
      if (name === 'emulator-tenants' && r === options.startupRepeats - 1) tenants = server;
      else await run.stop(server);
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
  const express = await run.start('express', files);
  try {
    for (const workload of ['get', 'create'] as const)
      results.rows.push(...(await compare(workload, [server, express], ctx, () => stored, options.connections, options, log)));
  } finally {
    await run.stop(express);
  }
  const newTenants = await timeNewTenants(server.url, options.newTenants);
  results.tenants = { tenants: BENCH_TENANTS, perTenant: perTenant(total), newTenants, startupCpuMs };
  log(
    `first request of ${newTenants.count} new tenants, one client: p50 ${newTenants.p50Ms.toFixed(2)} ms, p99 ${newTenants.p99Ms.toFixed(1)} ms (the first of the process: ${newTenants.firstMs.toFixed(0)} ms)`,
  );
  await run.stop(server);
}
