// `npm run bench`: run the benchmark, print the tables, write the JSON report.
//   npm run bench              full run (about 10 minutes on 2 cores)
//   npm run bench -- --quick   shorter rounds
//   npm run bench -- --help
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { USAGE, parseBenchArgs } from './options.js';
import { formatReport } from './report.js';
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
const results = await runBench(options, (line) => process.stderr.write(`${line}\n`));
const targets = evaluateTargets(results);
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGB: Math.round(os.totalmem() / 1024 ** 3),
  platform: `${os.platform()} ${os.release()}`,
  node: process.version,
  /** One-minute load average before and after the run: other work on the machine skews every figure. */
  loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
};
const versions = { autocannon: await versionOf('autocannon'), 'json-server': await versionOf('json-server'), express: await versionOf('express') };
const report = { startedAt: startedAt.toISOString(), seconds: Math.round((Date.now() - startedAt.getTime()) / 1000), machine, versions, ...results, targets };

await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${formatReport(results, targets)}\n\nJSON report: ${options.out}\n`);
