// The servers under test, each its own process on loopback: started, timed to their first healthy
// answer, sampled for memory, and stopped. Every child is killed if the benchmark itself exits early.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** `emulator-small`: a second emulator holding the first size's records, measured in the same rounds as create
 * at the larger sizes, so that the scale target compares two measurements taken side by side. `emulator-npm` and
 * `json-server-npm`: the same servers started through npm (`npm start`), timed to healthy and stopped.
 * `emulator-policies`: the same records plus one policy per package, for the $expand workload alone.
 * `emulator-fixtures`: a fresh data file seeded with the default fixtures, for the reset and restore workloads.
 * `emulator-journal` and `emulator-nojournal`: the emulator with JOURNAL=on and off, fresh pairs (--journal-pairs)
 * measured on create and get at the first size (what the journal costs).
 * `emulator-tenants`: the largest size's records in 100 tenants, `emulator-one-tenant` the same in one (bench/tenants.ts).
 * `express-durable`: bare Express that makes each create durable before its canned answer (bareExpress.ts), measured
 * on create beside the others at the first size: what a durable write alone costs the framework ceiling.
 * `express-classes`: bare Express served as the emulator serves its app, by a server whose requests and responses
 * already have the app's prototypes (server/http/messageClasses.ts), measured on get and create at the first size:
 * the ceiling of the framework as the emulator uses it. */
export type ServerName =
  | 'emulator'
  | 'emulator-small'
  | 'emulator-policies'
  | 'emulator-fixtures'
  | 'emulator-journal'
  | 'emulator-nojournal'
  | 'emulator-tenants'
  | 'emulator-one-tenant'
  | 'json-server'
  | 'express'
  | 'express-durable'
  | 'express-classes'
  | 'emulator-npm'
  | 'json-server-npm';

export interface ServerSpec {
  name: ServerName;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Answers 200 once the server has loaded its data and listens. */
  healthPath: string;
}

export interface RunningServer {
  readonly name: ServerName;
  readonly url: string;
  readonly pid: number;
  /** From spawn to the first 200 on the health path. */
  readonly startupMs: number;
  /** Resident set size now, and its peak since start, in bytes (Linux /proc); null where unavailable. */
  rssBytes(): number | null;
  peakRssBytes(): number | null;
  /** User plus system CPU time used so far, all threads, in ms (Linux /proc); null where unavailable. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

/** Environment for a child: the parent's, less what a test runner sets for itself (NODE_OPTIONS, NODE_ENV). */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'NODE_OPTIONS' && key !== 'NODE_ENV' && !key.startsWith('JEST_')) env[key] = value;
  }
  return { ...env, ...extra };
}

function readStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

// /proc/<pid>/stat counts in clock ticks, 100 per second on Linux whatever the kernel's HZ.
const TICK_MS = 10;

/** Two clock-tick fields of /proc/<pid>/stat added up, in ms; null where unavailable. */
function statTicksMs(pid: number | 'self', first: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may hold spaces), so field n is fields[n - 3].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[first - 3]) + Number(fields[first - 2])) * TICK_MS;
  } catch {
    return null;
  }
}

/** utime + stime: the process's own CPU time. */
const readCpuMs = (pid: number) => statTicksMs(pid, 14);

/** cutime + cstime of this process: the CPU time of the children it has waited for, exited ones included. */
export const childrenCpuMs = () => statTicksMs('self', 16);

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Every `pollMs` the health path is asked (5 ms: the start-up times' resolution), for `timeoutMs` at most. */
export async function startServer(spec: ServerSpec, port: number, { pollMs = 5, timeoutMs = 120_000 } = {}): Promise<RunningServer> {
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => {
    gone = true;
    live.delete(child);
  });

  while (!(await healthy(`${url}${spec.healthPath}`))) {
    if (gone) throw new Error(`${spec.name} exited before it was healthy (exit ${child.exitCode}): ${stderr.trim()}`);
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${spec.name} was not healthy after ${timeoutMs} ms: ${stderr.trim()}`);
    }
    await sleep(pollMs);
  }
  const startupMs = performance.now() - started;
  const pid = child.pid!;

  return {
    name: spec.name,
    url,
    pid,
    startupMs,
    rssBytes: () => readStatus(pid, 'VmRSS'),
    peakRssBytes: () => readStatus(pid, 'VmHWM'),
    cpuMs: () => readCpuMs(pid),
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      // The emulator flushes its journal into the snapshot on SIGTERM; give it time, then insist.
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
