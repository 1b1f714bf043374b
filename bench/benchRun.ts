// One benchmark run's shared state: its options, its log, the results it fills, its scratch folder, and the servers
// it has started (each stopped by the phase that started it, the rest when the run ends).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchOptions } from './options.js';
import type { BenchResults } from './results.js';
import { type SizeFiles, specFor } from './serverSpecs.js';
import { type RunningServer, type ServerName, freePort, startServer } from './servers.js';
import { probeSyncLatency } from './syncProbe.js';

export interface BenchRun {
  readonly options: BenchOptions;
  readonly log: (line: string) => void;
  readonly results: BenchResults;
  /** The run's scratch folder: data files, removed at the end. */
  readonly dir: string;
  start(name: ServerName, files: SizeFiles): Promise<RunningServer>;
  stop(server: RunningServer): Promise<void>;
  /** Stops what is still running and removes the scratch folder. */
  close(): Promise<void>;
}

export async function openRun(options: BenchOptions, log: (line: string) => void): Promise<BenchRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'accesspackages-bench-'));
  const syncLatency = { before: await probeSyncLatency(dir) } as BenchResults['syncLatency'];
  log(`fdatasync on ${dir}: median ${syncLatency.before.medianMs.toFixed(2)} ms, p90 ${syncLatency.before.p90Ms.toFixed(2)} ms`);
  const results: BenchResults = { options, rows: [], startup: [], seed: [], memory: [], answers: [], skipped: [], syncLatency };
  const running: RunningServer[] = [];
  return {
    options,
    log,
    results,
    dir,
    async start(name, files) {
      const port = await freePort();
      const server = await startServer(specFor(name, port, files, options), port, { pollMs: options.healthPollMs });
      running.push(server);
      return server;
    },
    async stop(server) {
      running.splice(running.indexOf(server), 1);
      await server.stop();
    },
    async close() {
      await Promise.all(running.map((s) => s.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
