// The benchmark run: `npm run seed` first, on a machine no server loads yet; then reset and restore on an emulator of
// their own; then each stored-records size (sizeRun.ts); then the tenants. Servers are measured side by side in
// alternating slices (compare.ts) so that drift on a shared machine hits every server alike.
import path from 'node:path';
import { openRun } from './benchRun.js';
import { measureFixtureWorkloads, measureTenants } from './dedicatedRuns.js';
import type { BenchOptions } from './options.js';
import { type BenchResults, median } from './results.js';
import { timeSeed } from './seedTime.js';
import { type SizeState, measureSize } from './sizeRun.js';
import { probeSyncLatency } from './syncProbe.js';
import { FIXTURE_WORKLOADS } from './workloads.js';

export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchResults> {
  const run = await openRun(options, log);
  const { results, dir } = run;
  const state: SizeState = {};
  try {
    // First, on a machine no server of the benchmark is loading yet.
    if (options.seed) {
      const packages = Math.max(...options.sizes);
      const runs = [];
      for (let r = 0; r < options.startupRepeats; r += 1) runs.push(await timeSeed(packages, path.join(dir, `seed-${r}.json`)));
      const runsMs = runs.map((one) => one.ms);
      const cpu = runs.map((one) => one.cpuMs);
      const cpuMedianMs = cpu.every((ms) => ms !== null) ? median(cpu as number[]) : null;
      results.seed.push({ packages, medianMs: median(runsMs), runsMs, cpuMedianMs });
      log(
        `npm run seed of ${packages} packages: ${(median(runsMs) / 1000).toFixed(1)} s (CPU ${cpuMedianMs === null ? 'n/a' : (cpuMedianMs / 1000).toFixed(1)} s)`,
      );
    }
    const fixtureWorkloads = FIXTURE_WORKLOADS.filter((w) => options.workloads.includes(w));
    if (fixtureWorkloads.length > 0) results.rows.push(...(await measureFixtureWorkloads(run, fixtureWorkloads)));
    // Without an HTTP workload at the sizes (--workloads seed, or reset,restore) no other server is started.
    const sizes = options.workloads.some((w) => !FIXTURE_WORKLOADS.includes(w)) ? options.sizes : [];
    for (const [step, size] of sizes.entries()) await measureSize(run, step, size, state);
    if (options.tenants) await measureTenants(run, Math.max(...options.sizes));
    results.syncLatency.after = await probeSyncLatency(dir);
  } finally {
    await run.close();
  }
  return results;
}
