// Start the real command-line entry point as a child process, for tests about processes, signals and files.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');
export const ENTRY = path.join(ROOT, 'server/main.ts');

export interface EmulatorProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

export function tempDir(prefix = 'emulator-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** Spawn `node --import tsx server/main.ts args` and collect its output. A fresh store starts empty unless `env` sets FIXTURES. */
export function spawnEmulator(args: string[], env: Record<string, string> = {}): Omit<EmulatorProcess, 'url'> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', PORT: '0', FIXTURES: 'empty', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Spawn and wait until the process prints its URL (it listens on PORT=0, a free port). */
export async function startEmulator(args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<EmulatorProcess> {
  const proc = spawnEmulator(args, env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${proc.stdout()} ${proc.stderr()}`)), timeoutMs);
    const check = () => {
      const match = /listening on (\S+)\/beta/.exec(proc.stdout());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    proc.child.stdout.on('data', check);
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}: ${proc.stderr()}`));
    });
  });
  return { ...proc, url };
}
