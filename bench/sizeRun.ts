// One size of stored records: write the data, cold-start the servers (timed, the emulator and json-server also
// through npm), check that every server answers every workload, then measure the workloads in alternating rounds:
// reads first, the memory sample, then writes. At the first size bare Express joins and the journal's pairs follow;
// at the larger sizes the emulator is paired with emulator-small, which holds the first size's records.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CannedAnswers } from './bareExpress.js';
import type { BenchRun } from './benchRun.js';
import { compare, errorCode, probe, recordsIn } from './compare.js';
import { benchRecords, writeDataFiles, writeEmulatorDataFile } from './dataset.js';
import { measureExpand, measureJournalPairs } from './dedicatedRuns.js';
import { median } from './results.js';
import { JSON_SERVER_BIN, sizeFiles } from './serverSpecs.js';
import type { RunningServer, ServerName } from './servers.js';
import { EMULATOR_FEATURES, EMULATOR_ONLY, FIXTURE_WORKLOADS, WORKLOADS, type Workload, type WorkloadContext, requestsFor } from './workloads.js';

/** Started through npm for their start-up time only: the emulator by the README's `npm start`, json-server by an npm script. */
const THROUGH_NPM: readonly ServerName[] = ['emulator-npm', 'json-server-npm'];
/** Measured at every size; the rest only at the first (smallest) size, where bare Express joins. The emulator-only
 * workloads run from the second size on, each against emulator-small (the first size) in the same rounds. */
const SCALE_WORKLOADS: readonly Workload[] = ['filter', 'expand', 'create', ...EMULATOR_ONLY];
/** Measured against emulator-small at the larger sizes. */
const PAIRED_WORKLOADS: readonly Workload[] = ['create', ...EMULATOR_ONLY];
/** Measured at the first size on fresh pairs of emulators (options.journalPairs), journal on and off: what the request journal costs. */
const JOURNAL_PAIRED: readonly Workload[] = ['create', 'get'];
/** The workloads express-classes answers (a reference beside the targets against bare Express). */
const CLASSES_WORKLOADS: readonly Workload[] = ['get', 'create'];
/** One client alone: the latency a person clicking through a UI sees, without queueing behind others. */
const SINGLE_CLIENT: readonly Workload[] = ['nomatch', 'orderby'];
/** Reads first, the memory sample, then writes: deletes keep the size, creates grow the collection for whatever runs after them. */
const ORDER: readonly Workload[] = ['get', 'batch', 'list', 'filter', 'expand', 'nomatch', 'orderby', 'patch', 'delete', 'create'];

/** What the first size found out for the others: the workloads the emulator serves. */
export interface SizeState {
  supported?: Workload[];
}

/** Measures the `step`th size of the run (`size` stored records). */
export async function measureSize(run: BenchRun, step: number, size: number, state: SizeState): Promise<void> {
  const { options, log, results, dir } = run;
  const files = sizeFiles(dir, size);
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
    'express-durable': null,
    'express-classes': null,
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
      const server = await run.start(name, files);
      runsMs[name]!.push(server.startupMs);
      if (r < options.startupRepeats - 1 || THROUGH_NPM.includes(name)) await run.stop(server);
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
  if (state.supported === undefined) {
    const supported: Workload[] = [];
    state.supported = supported;
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
    const references = [
      ...(options.workloads.includes('create') ? ['express-durable' as const] : []),
      ...(CLASSES_WORKLOADS.some((w) => options.workloads.includes(w)) ? ['express-classes' as const] : []),
    ];
    for (const name of ['express', ...references] as const) {
      const server = await run.start(name, files);
      servers.set(name, server);
      afterStart.set(name, server.rssBytes());
    }
  }

  const atThisSize = (w: Workload) => (step === 0 ? !EMULATOR_ONLY.includes(w) || options.sizes.length === 1 : SCALE_WORKLOADS.includes(w));
  const workloads = ORDER.filter((w) => state.supported!.includes(w) && options.workloads.includes(w) && atThisSize(w));
  const all = [...servers.values()];
  // express-durable answers create only, express-classes get and create: the other workloads are bare Express's.
  const serversFor = (workload: Workload) =>
    EMULATOR_ONLY.includes(workload) || EMULATOR_FEATURES.includes(workload)
      ? all.filter((s) => s.name === 'emulator')
      : all.filter((s) => (s.name !== 'express-durable' || workload === 'create') && (s.name !== 'express-classes' || CLASSES_WORKLOADS.includes(workload)));
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
    small = await run.start('emulator-small', files);
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
      results.rows.push(...(await measureExpand(run, size, files, ctx)));
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
  for (const server of [...all, ...(small ? [small] : [])]) await run.stop(server);
  if (step === 0)
    for (const workload of workloads.filter((w) => JOURNAL_PAIRED.includes(w)))
      results.rows.push(...(await measureJournalPairs(run, workload, size, files, ctx)));
}
