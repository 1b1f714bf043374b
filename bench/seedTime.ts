// `npm run seed` timed as a user waits for it: from spawn to exit, process start-up (tsx) and the write of the
// data file included. A fixed reference date and seed, so that every run generates the same bytes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnv, childrenCpuMs } from './servers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface SeedRun {
  /** From spawn to exit. */
  ms: number;
  /** The command's CPU time, user and system, all threads: what other load on the machine distorts least. */
  cpuMs: number | null;
}

/** One run; the command's error if it fails. */
export function timeSeed(packages: number, out: string): Promise<SeedRun> {
  const args = ['--import', 'tsx', 'server/bin/seed.ts', '--count', String(packages), '--seed', '42', '--reference-date', '2026-11-01', '--out', out];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const cpuBefore = childrenCpuMs();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv({}), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      // Node has reaped the child by the time 'exit' fires, so its CPU time is in this process's cutime.
      const cpuAfter = childrenCpuMs();
      const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
      if (code === 0) resolve({ ms, cpuMs });
      else reject(new Error(`npm run seed -- --count ${packages} exited with ${code}: ${stderr.trim()}`));
    });
  });
}
