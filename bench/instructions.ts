// `npm run bench -- --instructions`: what one get by id and one create cost each server in instructions, a count
// the load of a shared machine does not move (the emulator's counts agree within 0.5 % across runs, bare Express's
// within a few %; bench/README.md).
// Each server runs under valgrind's callgrind twice, answering FEW_REQUESTS and then MANY_REQUESTS requests:
// start-up, the first requests' compilation and the stop are in both counts, so the difference over the extra
// requests is one steady-state request (for creates, with the compactions their growing data file asks for).
// The servers: bare Express (the emulator's own answer, canned), for create also the bare Express that makes each
// create durable, the emulator as the benchmark runs it, the same without the request journal, and for gets the
// same with the request log at warn: the report shows the ratios to bare Express and what the journal and the log
// each take. Not the targets, which are read in time.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import type { CannedAnswers } from './bareExpress.js';
import type { BenchRun } from './benchRun.js';
import { probe } from './compare.js';
import { benchRecords, writeEmulatorDataFile } from './dataset.js';
import { toAutocannon } from './load.js';
import { type SizeFiles, sizeFiles, specFor } from './serverSpecs.js';
import { type ServerName, type ServerSpec, freePort, startServer } from './servers.js';
import { type CountedWorkload, REQUEST_HEADERS, requestsFor } from './workloads.js';

/** Requests of the shorter and the longer run of each server. */
export const FEW_REQUESTS = 1000;
export const MANY_REQUESTS = 4000;
/** Connections autocannon keeps open: enough to keep the slowed-down server busy, few enough not to time out. */
const CONNECTIONS = 4;
/** A run still going after this has stalled (a valgrind run of 4,000 creates takes about 90 s): it is stopped and fails. */
const RUN_LIMIT_MS = 15 * 60_000;
/**
 * callgrind's options: its fair scheduler hands the big lock over in turn. With the default one, a run of creates
 * once stalled for minutes with every thread idle (the journal's sync completes on libuv's thread pool).
 */
const CALLGRIND = ['--tool=callgrind', '--fair-sched=yes'];

export type CountedServer = 'express' | 'express-durable' | 'emulator' | 'emulator-nojournal' | 'emulator-log-warn';
const COUNTED: Record<CountedWorkload, readonly CountedServer[]> = {
  get: ['express', 'emulator', 'emulator-nojournal', 'emulator-log-warn'],
  create: ['express', 'express-durable', 'emulator', 'emulator-nojournal'],
};

export interface InstructionRow {
  workload: CountedWorkload;
  server: CountedServer;
  /** Instructions of the whole process, in the run of FEW_REQUESTS and in the run of MANY_REQUESTS. */
  totals: [number, number];
  perRequest: number;
}

/** The instructions a callgrind output file counts for the whole run. */
export function callgrindTotal(output: string): number {
  const match = /^(?:summary|totals):\s*(\d+)/m.exec(output);
  if (match === null) throw new Error('the callgrind output has no summary line');
  return Number(match[1]);
}

/** One request's instructions: the difference of the two runs over the extra requests. */
export function perRequest(few: number, many: number): number {
  return (many - few) / (MANY_REQUESTS - FEW_REQUESTS);
}

function specOf(server: CountedServer, port: number, files: SizeFiles, run: BenchRun): ServerSpec {
  if (server !== 'emulator-log-warn') return specFor(server, port, files, run.options);
  const spec = specFor('emulator', port, files, run.options);
  return { ...spec, env: { ...spec.env, LOG_LEVEL: 'warn' } };
}

/** One run of `server` under callgrind answering `count` requests of `workload`; the process's instructions. */
async function countedRun(run: BenchRun, workload: CountedWorkload, server: CountedServer, canned: string, count: number): Promise<number> {
  const size = run.options.sizes[0]!;
  // A folder of its own for each run: an emulator refuses a data file another one holds, and creates grow it. Its
  // name is short: the store's lock is a Unix socket beside the data file, whose path has at most 107 bytes.
  const dir = path.join(run.dir, `${workload}-${COUNTED[workload].indexOf(server)}-${count}`);
  await mkdir(dir, { recursive: true });
  const files = sizeFiles(dir, size);
  if (server.startsWith('emulator')) await writeEmulatorDataFile(benchRecords(size), server === 'emulator-nojournal' ? files.noJournal : files.emulator);
  else await writeFile(files.canned, canned);
  const port = await freePort();
  const spec = specOf(server, port, files, run);
  const out = path.join(dir, 'callgrind.out');
  const running = await startServer({ ...spec, command: 'valgrind', args: [...CALLGRIND, `--callgrind-out-file=${out}`, spec.command, ...spec.args] }, port, {
    timeoutMs: 300_000,
  });
  // A stalled run is stopped: its requests then fail, and so does the run.
  const watchdog = setTimeout(() => void running.stop(), RUN_LIMIT_MS);
  try {
    const name: ServerName = server.startsWith('express') ? 'express' : 'emulator';
    const requests = requestsFor(name, workload, { size, pageSize: 100 }).map((r) => toAutocannon(r));
    const result = await autocannon({ url: running.url, connections: CONNECTIONS, amount: count, timeout: 120, headers: REQUEST_HEADERS, requests });
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
      throw new Error(`${server} under callgrind: ${result.non2xx} answers outside 2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  } finally {
    clearTimeout(watchdog);
    await running.stop();
  }
  return callgrindTotal(await readFile(out, 'utf8'));
}

/** The emulator's own answers to the workloads counted, for bare Express to send, taken from an emulator run as usual. */
async function cannedAnswers(run: BenchRun, workloads: readonly CountedWorkload[]): Promise<string> {
  const size = run.options.sizes[0]!;
  const files = sizeFiles(path.join(run.dir, 'answers'), size);
  await mkdir(path.dirname(files.emulator), { recursive: true });
  await writeEmulatorDataFile(benchRecords(size), files.emulator);
  const emulator = await run.start('emulator', files);
  const canned: CannedAnswers = {};
  for (const workload of workloads) {
    const answer = await probe(emulator, requestsFor('emulator', workload, { size, pageSize: 100 })[0]!);
    canned[workload] = { status: answer.status, body: answer.body };
  }
  await run.stop(emulator);
  return JSON.stringify(canned);
}

export async function countInstructions(run: BenchRun, workloads: readonly CountedWorkload[]): Promise<InstructionRow[]> {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('--instructions runs the servers under valgrind, which is not installed (Debian: apt-get install valgrind)');
  }
  const canned = await cannedAnswers(run, workloads);
  const rows: InstructionRow[] = [];
  for (const workload of workloads) {
    for (const server of COUNTED[workload]) {
      // The two runs side by side: the count of one is not moved by the other.
      const totals = await Promise.all([FEW_REQUESTS, MANY_REQUESTS].map((count) => countedRun(run, workload, server, canned, count)));
      const cost = perRequest(totals[0]!, totals[1]!);
      rows.push({ workload, server, totals: [totals[0]!, totals[1]!], perRequest: cost });
      run.log(`${workload}, ${server}: ${Math.round(cost).toLocaleString('en-US')} instructions per request under callgrind`);
    }
  }
  return rows;
}
