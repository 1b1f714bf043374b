// The performance targets the emulator is held to, each read off one run's results.
import { type BenchResults, type Row, median } from './results.js';
import { BATCH_SIZE, FIXTURE_PACKAGES, type Workload } from './workloads.js';
import type { ServerName } from './servers.js';

export interface TargetResult {
  target: string;
  /** What was measured, in `unit`. */
  measured: number | null;
  /** The bound it must meet, in `unit`. */
  limit: number | null;
  unit: '×' | 'ms' | 's' | 'MB' | '%' | 'requests';
  comparison: '>=' | '<=' | '<';
  met: boolean | null;
  /** The figures behind the ratio. */
  detail: string;
}

const MB = 1024 * 1024;

function check(
  target: string,
  measured: number | null,
  limit: number | null,
  unit: TargetResult['unit'],
  comparison: TargetResult['comparison'],
  detail: string,
): TargetResult {
  const met = measured === null || limit === null ? null : comparison === '>=' ? measured >= limit : comparison === '<' ? measured < limit : measured <= limit;
  return { target, measured, limit, unit, comparison, met, detail };
}

/** Req/s of `a` over `b`, round by round (the two measured side by side in each round); rounds one lacks are left out. */
function roundRatios(a: Row, b: Row): number[] {
  return a.rounds.map((m, i) => m.reqPerSec / (b.rounds[i]?.reqPerSec ?? Number.NaN)).filter(Number.isFinite);
}

/** The row of `server` on `workload` at `size` stored, with `clients` connections (the run's by default). */
function rowIn(results: BenchResults, workload: Workload, size: number, server: ServerName, clients = results.options.connections): Row | undefined {
  return results.rows.find((r) => r.workload === workload && r.size === size && r.server === server && r.connections === clients);
}

export function evaluateTargets(results: BenchResults): TargetResult[] {
  const { sizes, connections } = results.options;
  const small = sizes[0]!;
  const large = Math.max(...sizes);
  const row = (workload: Workload, size: number, server: ServerName, clients?: number) => rowIn(results, workload, size, server, clients);
  const perSec = (r: Row | undefined) => (r === undefined ? 'not measured' : `${r.reqPerSec.toFixed(0)} req/s`);

  // Paired by round: each round measures the emulator and Express in alternating slices, so the ratio of one round
  // is what machine drift distorts least; the target reads the median of those ratios.
  const vsExpress = (workload: Workload, label: string) => {
    const emulator = row(workload, small, 'emulator');
    const express = row(workload, small, 'express');
    const ratios = emulator && express ? roundRatios(emulator, express) : [];
    const ratio = ratios.length > 0 ? median(ratios) : null;
    const perRound = ratios.length > 1 ? ` (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})` : '';
    return check(
      `${label} ≥ 0.8× bare Express (${small} stored)`,
      ratio,
      0.8,
      '×',
      '>=',
      `emulator ${perSec(emulator)}, Express ${perSec(express)}${perRound}`,
    );
  };

  // Paired as well: emulator-small holds the first size's records and is measured in the same rounds as the
  // emulator at the largest size. Without it (an older report), the two sizes' medians, minutes apart.
  const scale = (workload: 'create' | 'delete') => {
    const label = `${workload} at ${large} stored ≥ 0.8× ${workload} at ${small} stored`;
    const atLarge = row(workload, large, 'emulator');
    const paired = row(workload, large, 'emulator-small');
    if (atLarge && paired) {
      const ratios = roundRatios(atLarge, paired);
      const perRound = ratios.length > 1 ? ` (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})` : '';
      return check(
        label,
        ratios.length > 0 ? median(ratios) : null,
        0.8,
        '×',
        '>=',
        `${perSec(atLarge)} at ${large}, ${perSec(paired)} at ${small} in the same rounds${perRound}`,
      );
    }
    const atSmall = row(workload, small, 'emulator');
    return check(
      label,
      atLarge && atSmall ? atLarge.reqPerSec / atSmall.reqPerSec : null,
      0.8,
      '×',
      '>=',
      `${perSec(atLarge)} at ${large}, ${perSec(atSmall)} at ${small}`,
    );
  };
  // A first page one client waits for, against a bound in ms; the same page at the first size, same rounds, beside it.
  const firstPage = (workload: 'nomatch' | 'orderby', label: string, limitMs: number) => {
    const one = row(workload, large, 'emulator', 1);
    const paired = row(workload, large, 'emulator-small', 1);
    const beside = paired ? `; ${paired.p50Ms.toFixed(2)} ms at ${small} in the same rounds` : '';
    return check(
      `first page of ${label} at ${large} stored, one client: p50 ≤ ${limitMs} ms`,
      one?.p50Ms ?? null,
      limitMs,
      'ms',
      '<=',
      one ? `p99 ${one.p99Ms.toFixed(1)} ms, ${perSec(one)}${beside}` : 'not measured',
    );
  };
  // Paired as well: fresh emulator-journal and emulator-nojournal pairs (--journal-pairs), each measured in slices in turns.
  const journalCost = (workload: 'create' | 'get', label: string) => {
    const on = row(workload, small, 'emulator-journal');
    const off = row(workload, small, 'emulator-nojournal');
    const ratios = on && off ? roundRatios(on, off) : [];
    const perRound = ratios.length > 1 ? ` (pairs ${ratios.map((r) => r.toFixed(3)).join(', ')})` : '';
    return check(
      `${label} with the request journal on: cost ≤ 5 % against off, fresh pairs (${small} stored)`,
      ratios.length > 0 ? (1 - median(ratios)) * 100 : null,
      5,
      '%',
      '<=',
      `journal on ${perSec(on)}, off ${perSec(off)}${perRound}`,
    );
  };
  const batch = row('batch', small, 'emulator');
  const gets = row('get', small, 'emulator');
  const filterOne = row('filter', large, 'emulator', 1);
  const expandOne = row('expand', large, 'emulator-policies', 1);
  const startEmulator = results.startup.find((s) => s.server === 'emulator' && s.size === large);
  const startJsonServer = results.startup.find((s) => s.server === 'json-server' && s.size === large);
  const memory = results.memory.find((m) => m.server === 'emulator' && m.size === large);
  const seed = results.seed.find((s) => s.packages === large);
  // npm costs the same to both (the same launcher): started directly, json-server is what the detail shows.
  const throughNpm = (size: number) => {
    const startup = (server: ServerName) => results.startup.find((s) => s.server === server && s.size === size);
    const [emulator, jsonServer, direct] = [startup('emulator-npm'), startup('json-server-npm'), startup('json-server')];
    return check(
      `start-up to healthy through npm start at ${size} records ≤ json-server's through npm`,
      emulator?.medianMs ?? null,
      jsonServer?.medianMs ?? null,
      'ms',
      '<=',
      emulator && jsonServer
        ? `${(emulator.medianMs / jsonServer.medianMs).toFixed(2)}× json-server's${direct ? `; json-server started without npm: ${direct.medianMs.toFixed(0)} ms` : ''}`
        : 'not measured',
    );
  };
  // One client waiting for each answer, as a test suite's beforeEach does.
  const fixtureTarget = (workload: 'reset' | 'restore', label: string) => {
    const one = row(workload, FIXTURE_PACKAGES, 'emulator-fixtures', 1);
    return check(
      `${label} (${FIXTURE_PACKAGES} packages), one client: p50 ≤ 1 ms`,
      one?.p50Ms ?? null,
      1,
      'ms',
      '<=',
      one ? `p99 ${one.p99Ms.toFixed(1)} ms, ${perSec(one)}` : 'not measured',
    );
  };
  const rssLimit = memory?.dataFileBytes == null ? null : (3 * memory.dataFileBytes + 80 * MB) / MB;

  // The tenants workload (bench/tenants.ts): its rows are at the records it stored, paired by round with Express.
  const tenantsRun = results.tenants;
  const tenantsStored = tenantsRun === undefined ? 0 : tenantsRun.tenants * tenantsRun.perTenant;
  const tenantsLabel = tenantsRun === undefined ? '100 tenants' : `${tenantsRun.tenants} tenants × ${tenantsRun.perTenant} packages`;
  const tenantsVsExpress = (workload: 'create' | 'get', label: string) => {
    const emulator = row(workload, tenantsStored, 'emulator-tenants');
    const express = row(workload, tenantsStored, 'express');
    const ratios = emulator && express ? roundRatios(emulator, express) : [];
    const perRound = ratios.length > 1 ? ` (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})` : '';
    return check(
      `${label} across ${tenantsLabel} ≥ 0.8× bare Express`,
      ratios.length > 0 ? median(ratios) : null,
      0.8,
      '×',
      '>=',
      `emulator ${perSec(emulator)}, Express ${perSec(express)}${perRound}`,
    );
  };
  const startupOf = (server: ServerName) => results.startup.find((s) => s.server === server && s.size === tenantsStored);
  const [inOne, inTenants] = [startupOf('emulator-one-tenant'), startupOf('emulator-tenants')];
  const newTenants = tenantsRun?.newTenants;
  const cpuMedian = (runs: (number | null)[] | undefined) => (runs && runs.length > 0 && runs.every((ms) => ms !== null) ? median(runs as number[]) : null);
  const [cpuInOne, cpuInTenants] = [cpuMedian(tenantsRun?.startupCpuMs?.oneTenant), cpuMedian(tenantsRun?.startupCpuMs?.tenants)];
  const startupCpu = cpuInOne === null || cpuInTenants === null ? '' : `; CPU to healthy ${cpuInTenants.toFixed(0)} ms and ${cpuInOne.toFixed(0)} ms`;

  return [
    vsExpress('create', 'create'),
    vsExpress('get', 'get by id'),
    scale('create'),
    scale('delete'),
    journalCost('create', 'create'),
    journalCost('get', 'get by id'),
    check(
      `$batch of ${BATCH_SIZE} GETs: sub-requests/s ≥ 2× those of ${BATCH_SIZE} separate GETs (${connections} clients, ${small} stored)`,
      batch && gets ? (batch.reqPerSec * BATCH_SIZE) / gets.reqPerSec : null,
      2,
      '×',
      '>=',
      batch && gets ? `${(batch.reqPerSec * BATCH_SIZE).toFixed(0)} GETs/s in ${perSec(batch)} batches, ${perSec(gets)} alone` : 'not measured',
    ),
    check(
      `filtered first page p50 at ${large} stored, one client ≤ 20 ms`,
      filterOne?.p50Ms ?? null,
      20,
      'ms',
      '<=',
      filterOne ? `p99 ${filterOne.p99Ms.toFixed(1)} ms, ${perSec(filterOne)}` : 'not measured',
    ),
    firstPage('nomatch', "contains(tolower(displayName),'…') matching nothing", 5),
    firstPage('orderby', '$orderby=displayName desc', 3),
    check(
      `first page with $expand=accessPackageAssignmentPolicies p50 at ${large} stored, one client ≤ 20 ms`,
      expandOne?.p50Ms ?? null,
      20,
      'ms',
      '<=',
      expandOne ? `p99 ${expandOne.p99Ms.toFixed(1)} ms, ${perSec(expandOne)}` : 'not measured',
    ),
    fixtureTarget('reset', 'POST /_emulator/reset of the default fixtures'),
    fixtureTarget('restore', 'restore of a baseline of the default fixtures'),
    check(
      `start-up to healthy at ${large} records ≤ json-server's`,
      startEmulator?.medianMs ?? null,
      startJsonServer?.medianMs ?? null,
      'ms',
      '<=',
      startEmulator && startJsonServer ? `${(startEmulator.medianMs / startJsonServer.medianMs).toFixed(2)}× json-server's` : 'not measured',
    ),
    throughNpm(small),
    throughNpm(large),
    check(
      `RSS after start-up at ${large} records ≤ 3× data file + 80 MB`,
      memory?.rssAfterStartBytes == null ? null : memory.rssAfterStartBytes / MB,
      rssLimit,
      'MB',
      '<=',
      memory?.dataFileBytes == null ? 'not measured' : `data file ${(memory.dataFileBytes / MB).toFixed(1)} MB`,
    ),
    check(
      `peak RSS at ${large} records, through the read workloads ≤ 3× data file + 80 MB`,
      memory?.peakRssBytes == null ? null : memory.peakRssBytes / MB,
      rssLimit,
      'MB',
      '<=',
      memory?.dataFileBytes == null ? 'not measured' : `data file ${(memory.dataFileBytes / MB).toFixed(1)} MB`,
    ),
    check(
      `npm run seed of ${large} packages ≤ 10 s`,
      seed === undefined ? null : seed.medianMs / 1000,
      10,
      's',
      '<=',
      seed === undefined
        ? 'not measured'
        : `runs ${seed.runsMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s from spawn to exit, CPU ${seed.cpuMedianMs === null ? 'n/a' : `${(seed.cpuMedianMs / 1000).toFixed(1)} s`}`,
    ),
    tenantsVsExpress('create', 'create'),
    tenantsVsExpress('get', 'get by id'),
    check(
      `start-up to healthy at ${tenantsStored || 'the largest size of'} records in ${tenantsLabel} ≤ 1.1× the same records in one tenant`,
      inOne && inTenants ? inTenants.medianMs / inOne.medianMs : null,
      1.1,
      '×',
      '<=',
      inOne && inTenants
        ? `${inTenants.medianMs.toFixed(0)} ms in ${tenantsRun?.tenants} tenants, ${inOne.medianMs.toFixed(0)} ms in one (cold starts alternating)${startupCpu}`
        : 'not measured',
    ),
    check(
      "a new tenant's first request (the fixture set added), one client: p50 < 20 ms",
      newTenants?.p50Ms ?? null,
      20,
      'ms',
      '<',
      newTenants
        ? `p99 ${newTenants.p99Ms.toFixed(1)} ms over ${newTenants.count} new tenants; the first of the process, which generates the set: ${newTenants.firstMs.toFixed(0)} ms`
        : 'not measured',
    ),
  ];
}

/**
 * Not a target: bare Express served as the emulator serves its app (express-classes: a server whose requests and
 * responses already have the app's prototypes, server/http/messageClasses.ts) against bare Express as `app.listen`
 * serves it, and the emulator against it, on get and create at the first size (per-round medians). Undefined
 * without those rows.
 */
export function messageClassesReference(results: BenchResults): string | undefined {
  const small = results.options.sizes[0]!;
  const parts: string[] = [];
  for (const workload of ['get', 'create'] as const) {
    const [emulator, classes, express] = (['emulator', 'express-classes', 'express'] as const).map((server) => rowIn(results, workload, small, server));
    if (!emulator || !classes || !express) continue;
    const paired = (a: Row, b: Row) => median(roundRatios(a, b)).toFixed(2);
    parts.push(`on ${workload} it reads ${paired(classes, express)}× bare Express, and the emulator ${paired(emulator, classes)}× it`);
  }
  if (parts.length === 0) return undefined;
  return `Reference, not a target: bare Express served as the emulator serves its app (requests and responses made with the app's prototypes): ${parts.join('; ')}.`;
}

/**
 * Not a target: how far a durable create alone moves bare Express (express-durable, bareExpress.ts), and the
 * emulator's create against that, per-round medians as the targets read them. Undefined without those rows.
 */
export function durableCreateReference(results: BenchResults): string | undefined {
  const small = results.options.sizes[0]!;
  const [emulator, durable, express] = (['emulator', 'express-durable', 'express'] as const).map((server) => rowIn(results, 'create', small, server));
  if (!emulator || !durable || !express) return undefined;
  const paired = (a: Row, b: Row) => median(roundRatios(a, b));
  const cpu = (r: Row) => (r.cpuUsPerRequest === null ? 'n/a' : `${r.cpuUsPerRequest.toFixed(0)} µs`);
  return (
    `Reference, not a target: bare Express that makes each create durable (append + fdatasync, group commit) reads ` +
    `${paired(durable, express).toFixed(2)}× bare Express on create (CPU per create ${cpu(durable)} against ${cpu(express)}); ` +
    `the emulator's create reads ${paired(emulator, durable).toFixed(2)}× that durable Express (CPU ${cpu(emulator)}).`
  );
}
