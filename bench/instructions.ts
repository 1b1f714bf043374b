// `npm run bench -- --instructions`: what one get by id costs each server in instructions, a count the load of a
// shared machine does not move (two runs of the same build agree within about 0.5 %; bench/README.md). Each server
// runs under valgrind's callgrind twice, answering FEW_GETS and then MANY_GETS gets: start-up, the first requests'
// compilation and the stop are in both counts, so the difference over the extra gets is one steady-state get.
// The servers: bare Express (the emulator's own answer, canned), the emulator as the benchmark runs it, the same
// without the request journal, and the same with the request log at warn, so the report shows the ratio to bare
// Express and what the journal and the log each take of a get. Not the targets, which are read in time.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import type { CannedAnswers } from './bareExpress.js';
import type { BenchRun } from './benchRun.js';
import { benchRecords, writeEmulatorDataFile } from './dataset.js';
import { probe } from './compare.js';
import { toAutocannon } from './load.js';
import { type SizeFiles, sizeFiles, specFor } from './serverSpecs.js';
import { type ServerName, type ServerSpec, freePort, startServer } from './servers.js';
import { REQUEST_HEADERS, type WorkloadContext, requestsFor } from './workloads.js';

/** Gets of the shorter and the longer run of each server. */
export const FEW_GETS = 1000;
export const MANY_GETS = 4000;
/** Connections autocannon keeps open: enough to keep the slowed-down server busy, few enough not to time out. */
const CONNECTIONS = 4;

export type CountedServer = 'express' | 'emulator' | 'emulator-nojournal' | 'emulator-log-warn';
const COUNTED: readonly CountedServer[] = ['express', 'emulator', 'emulator-nojournal', 'emulator-log-warn'];

export interface InstructionRow {
  server: CountedServer;
  /** Instructions of the whole process, in the run of FEW_GETS and in the run of MANY_GETS. */
  totals: [number, number];
  perGet: number;
}

/** The instructions a callgrind output file counts for the whole run. */
export function callgrindTotal(output: string): number {
  const match = /^(?:summary|totals):\s*(\d+)/m.exec(output);
  if (match === null) throw new Error('the callgrind output has no summary line');
  return Number(match[1]);
}

/** One get's instructions: the difference of the two runs over the extra gets. */
export function perGet(few: number, many: number): number {
  return (many - few) / (MANY_GETS - FEW_GETS);
}

function specOf(server: CountedServer, port: number, files: SizeFiles, run: BenchRun): ServerSpec {
  if (server !== 'emulator-log-warn') return specFor(server, port, files, run.options);
  const spec = specFor('emulator', port, files, run.options);
  return { ...spec, env: { ...spec.env, LOG_LEVEL: 'warn' } };
}

/** One run of `server` under callgrind answering `gets` gets; the process's instructions. */
async function countedRun(run: BenchRun, server: CountedServer, files: SizeFiles, gets: number): Promise<number> {
  const port = await freePort();
  const spec = specOf(server, port, files, run);
  const out = path.join(path.dirname(files.emulator), `callgrind-${server}.out`);
  const running = await startServer(
    { ...spec, command: 'valgrind', args: ['--tool=callgrind', `--callgrind-out-file=${out}`, spec.command, ...spec.args] },
    port,
    300_000,
  );
  try {
    const name: ServerName = server === 'express' ? 'express' : 'emulator';
    const ctx: WorkloadContext = { size: run.options.sizes[0]!, pageSize: 100 };
    const requests = requestsFor(name, 'get', ctx).map((r) => toAutocannon(r));
    const result = await autocannon({ url: running.url, connections: CONNECTIONS, amount: gets, timeout: 120, headers: REQUEST_HEADERS, requests });
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
      throw new Error(`${server} under callgrind: ${result.non2xx} answers outside 2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  } finally {
    await running.stop();
  }
  return callgrindTotal(await readFile(out, 'utf8'));
}

export async function countInstructions(run: BenchRun): Promise<InstructionRow[]> {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('--instructions runs the servers under valgrind, which is not installed (Debian: apt-get install valgrind)');
  }
  const size = run.options.sizes[0]!;
  const records = benchRecords(size);
  // The two runs of a server go side by side (the count of one is not moved by the other), each on its own files:
  // an emulator refuses a data file another one holds.
  const [few, many] = await Promise.all(
    [FEW_GETS, MANY_GETS].map(async (gets) => {
      const dir = path.join(run.dir, `callgrind-${gets}`);
      await mkdir(dir, { recursive: true });
      const files = sizeFiles(dir, size);
      await writeEmulatorDataFile(records, files.emulator);
      await writeEmulatorDataFile(records, files.noJournal);
      return files;
    }),
  );
  // Bare Express answers with the emulator's own answer to a get, taken from an emulator run as usual.
  const emulator = await run.start('emulator', few!);
  const answer = await probe(emulator, requestsFor('emulator', 'get', { size, pageSize: 100 })[0]!);
  await run.stop(emulator);
  const canned: CannedAnswers = { get: { status: answer.status, body: answer.body } };
  for (const files of [few!, many!]) await writeFile(files.canned, JSON.stringify(canned));

  const rows: InstructionRow[] = [];
  for (const server of COUNTED) {
    const totals = await Promise.all([countedRun(run, server, few!, FEW_GETS), countedRun(run, server, many!, MANY_GETS)]);
    const get = perGet(...totals);
    rows.push({ server, totals, perGet: get });
    run.log(`${server}: ${Math.round(get).toLocaleString('en-US')} instructions per get under callgrind`);
  }
  return rows;
}
