// The printed report: Markdown tables, so a run's output can go into bench/README.md as it is.
import { type CountedServer, FEW_REQUESTS, type InstructionRow, MANY_REQUESTS } from './instructions.js';
import { COUNTED_WORKLOADS, type CountedWorkload } from './workloads.js';
import type { SoakResults } from './soak.js';
import type { BenchResults, Row } from './results.js';
import type { SyncLatency } from './syncProbe.js';
import { type TargetResult, durableCreateReference, messageClassesReference } from './targets.js';

const MB = 1024 * 1024;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

const num = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => (n < 1 ? num(n, 2) : n < 10 ? num(n, 1) : num(n));

function relative(row: Row, rows: readonly Row[]): string {
  const express = rows.find((r) => r.server === 'express' && r.workload === row.workload && r.size === row.size && r.connections === row.connections);
  return express ? `${(row.reqPerSec / express.reqPerSec).toFixed(2)}×` : '';
}

function formatThroughput(results: BenchResults): string {
  return table(
    ['workload', 'stored', 'clients', 'server', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'vs Express', 'failed'],
    results.rows.map((r) => [
      r.workload,
      num(r.size),
      String(r.connections),
      r.server,
      num(r.reqPerSec),
      r.requests === 0 ? 'n/a' : ms(r.p50Ms),
      r.requests === 0 ? 'n/a' : ms(r.p99Ms),
      r.cpuUsPerRequest === null ? 'n/a' : num(r.cpuUsPerRequest),
      relative(r, results.rows),
      String(r.non2xx + r.errors),
    ]),
  );
}

function formatStartupAndMemory(results: BenchResults): string {
  return table(
    ['stored', 'server', 'data file MB', 'start-up ms', 'RSS after start MB', 'peak RSS MB'],
    results.startup.map((s) => {
      const memory = results.memory.find((m) => m.server === s.server && m.size === s.size);
      return [
        num(s.size),
        s.server,
        memory?.dataFileBytes == null ? '' : num(memory.dataFileBytes / MB, 1),
        num(s.medianMs),
        memory?.rssAfterStartBytes == null ? '' : num(memory.rssAfterStartBytes / MB, 1),
        memory?.peakRssBytes == null ? '' : num(memory.peakRssBytes / MB, 1),
      ];
    }),
  );
}

function formatSeed(results: BenchResults): string {
  return table(
    ['command', 'packages', 'median s', 'runs s', 'CPU s'],
    results.seed.map((s) => [
      'npm run seed',
      num(s.packages),
      num(s.medianMs / 1000, 1),
      s.runsMs.map((ms) => num(ms / 1000, 1)).join(', '),
      s.cpuMedianMs === null ? 'n/a' : num(s.cpuMedianMs / 1000, 1),
    ]),
  );
}

function formatValue(value: number | null, unit: TargetResult['unit']): string {
  if (value === null) return 'n/a';
  if (unit === '×') return `${value.toFixed(2)}×`;
  if (unit === 's') return `${num(value, 1)} s`;
  if (unit === '%') return `${num(value, 1)} %`;
  return `${num(value, (unit === 'ms' || unit === 'MB') && value < 10 ? 1 : 0)} ${unit}`;
}

function formatTargets(targets: readonly TargetResult[]): string {
  return table(
    ['target', 'measured', 'limit', 'met', 'from'],
    targets.map((t) => [
      t.target,
      formatValue(t.measured, t.unit),
      `${t.comparison} ${formatValue(t.limit, t.unit)}`,
      t.met === null ? 'not measured' : t.met ? 'met' : 'NOT MET',
      t.detail,
    ]),
  );
}

const syncText = (s: SyncLatency) => `${s.medianMs.toFixed(2)} ms (p90 ${s.p90Ms.toFixed(2)} ms)`;

export function formatReport(results: BenchResults, targets: readonly TargetResult[]): string {
  const { options } = results;
  const skipped = results.skipped.map((s) => `Not measured: ${s.workload} (${s.reason}).`);
  return [
    `${options.connections} connections (1 for the single-client rows), ${options.durationS} s × ${options.rounds} alternating round(s) after ${options.warmupS} s of warm-up; medians over rounds.`,
    `Append + fdatasync on the data disk: median ${syncText(results.syncLatency.before)} before the run, ${results.syncLatency.after ? syncText(results.syncLatency.after) : 'n/a'} after.`,
    '',
    formatThroughput(results),
    '',
    formatStartupAndMemory(results),
    '',
    ...(results.seed.length > 0 ? [formatSeed(results), ''] : []),
    formatTargets(targets),
    ...[durableCreateReference(results), messageClassesReference(results)].flatMap((line) => (line === undefined ? [] : ['', line])),
    ...(skipped.length > 0 ? ['', ...skipped] : []),
  ].join('\n');
}

export function formatSoak(results: SoakResults, targets: readonly TargetResult[]): string {
  const samples = table(
    ['at s', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'RSS MB', 'records', 'data files MB', 'failed'],
    results.samples.map((s) => [
      num(s.atS),
      num(s.reqPerSec),
      ms(s.p50Ms),
      ms(s.p99Ms),
      s.cpuUsPerRequest === null ? 'n/a' : num(s.cpuUsPerRequest),
      s.rssBytes === null ? 'n/a' : num(s.rssBytes / MB, 1),
      num(s.records),
      num(s.dataFileBytes / MB, 1),
      String(s.failed),
    ]),
  );
  return [
    `Soak: ${results.connections} clients (create, get, patch, filtered first page, delete; one create in ten kept) from ${num(results.startRecords)} stored records.`,
    '',
    samples,
    '',
    formatTargets(targets),
  ].join('\n');
}

/** Share of the emulator's request of `workload` that `without` saves, in %; null when either row is missing. */
export function instructionShare(rows: readonly InstructionRow[], workload: CountedWorkload, without: CountedServer): number | null {
  const of = (server: CountedServer) => rows.find((r) => r.workload === workload && r.server === server);
  const [all, less] = [of('emulator'), of(without)];
  return all === undefined || less === undefined ? null : (1 - less.perRequest / all.perRequest) * 100;
}

const COUNTED_NAMES: Record<CountedWorkload, string> = { get: 'get by id', create: 'create' };

export function formatInstructions(rows: readonly InstructionRow[], stored: number): string {
  const parts = [
    `Counted under valgrind's callgrind with ${num(stored)} stored: each server answered ${num(FEW_REQUESTS)} requests, then (a new process) ${num(MANY_REQUESTS)}; one request is the difference over the extra requests.`,
  ];
  for (const workload of COUNTED_WORKLOADS) {
    const counted = rows.filter((r) => r.workload === workload);
    if (counted.length === 0) continue;
    const express = counted.find((r) => r.server === 'express');
    const shares = [
      ['the request journal', instructionShare(rows, workload, 'emulator-nojournal')],
      ['the request log at info', instructionShare(rows, workload, 'emulator-log-warn')],
    ].flatMap(([what, value]) => (value === null ? [] : [`${what} ${num(value as number, 1)} %`]));
    parts.push(
      '',
      table(
        [COUNTED_NAMES[workload], 'instructions per request', 'bare Express over it'],
        counted.map((r) => [r.server, num(r.perRequest), express === undefined ? '' : `${(express.perRequest / r.perRequest).toFixed(3)}×`]),
      ),
    );
    if (shares.length > 0) parts.push('', `Of the emulator's ${COUNTED_NAMES[workload]}: ${shares.join(', ')}.`);
  }
  parts.push('', 'Reference, not the targets: they are read in time, where instructions that touch more memory run slower (bench/README.md).');
  return parts.join('\n');
}
