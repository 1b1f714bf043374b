// `npm run bench`: run the benchmark, print the tables, write the JSON report.
//   npm run bench              full run (about 20 minutes on 2 cores)
//   npm run bench -- --quick   shorter rounds
//   npm run bench -- --soak 30m  a long mixed load instead, sampled every minute
//   npm run bench -- --instructions  a get's and a create's instructions on each server, counted under valgrind
//   npm run bench -- --help
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { USAGE, parseBenchArgs } from './options.js';
import { openRun } from './benchRun.js';
import { countInstructions } from './instructions.js';
import { COUNTED_WORKLOADS } from './workloads.js';
import { formatInstructions, formatReport, formatSoak } from './report.js';
import { evaluateSoak, runSoak } from './soak.js';
import { runBench } from './suite.js';
import { evaluateTargets } from './targets.js';

async function versionOf(pkg: string): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL(`../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

let options: ReturnType<typeof parseBenchArgs>;
try {
  options = parseBenchArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: ${(err as Error).message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (options === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const startedAt = new Date();
const loadBefore = os.loadavg()[0]!;
if (loadBefore > 1) process.stderr.write(`warning: the machine is already busy (load average ${loadBefore.toFixed(1)}); figures will be noisy\n`);
const log = (line: string) => process.stderr.write(`${line}\n`);
const machineNow = () => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGB: Math.round(os.totalmem() / 1024 ** 3),
  platform: `${os.platform()} ${os.release()}`,
  node: process.version,
  /** One-minute load average before and after the run: other work on the machine skews every figure. */
  loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
});
const versions = { autocannon: await versionOf('autocannon'), 'json-server': await versionOf('json-server'), express: await versionOf('express') };
const header = () => ({ startedAt: startedAt.toISOString(), seconds: Math.round((Date.now() - startedAt.getTime()) / 1000), machine: machineNow(), versions });

let report: object;
let text: string;
if (options.instructions) {
  const run = await openRun(options, log);
  try {
    const instructions = await countInstructions(
      run,
      COUNTED_WORKLOADS.filter((w) => options.workloads.includes(w)),
    );
    report = { ...header(), options, instructions };
    text = formatInstructions(instructions, options.sizes[0]!);
  } finally {
    await run.close();
  }
} else if (options.soak) {
  const results = await runSoak(options, options.soak, log);
  const targets = evaluateSoak(results);
  report = { ...header(), ...results, targets };
  text = formatSoak(results, targets);
} else {
  const results = await runBench(options, log);
  const targets = evaluateTargets(results);
  report = { ...header(), ...results, targets };
  text = formatReport(results, targets);
}
await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${text}\n\nJSON report: ${options.out}\n`);
