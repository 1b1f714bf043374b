// Any command as a real process (the built emulator, npm, a script): wait for a line of its output, collect the
// rest, await its exit.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tracked } from './childrenLeft.js';

export { tracked };

export const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');
/**
 * The built command line, the bundle `npm start` runs (through its CommonJS twin), which jest's globalSetup brings up
 * to date with the sources before the tests start (scripts/freshBuild.cjs). A start from the build takes a fifth of one
 * from the sources through tsx.
 */
export const CLI_MAIN = [path.join(ROOT, 'dist/server/cli.js')];

/**
 * A module of the sources (such as `server/bin/seed.ts`) bundled by esbuild into one ES module, as the build bundles
 * the command line, so that a child runs today's sources on plain node: through tsx each start costs 0.3 to 0.5 s of
 * CPU more. Made once per test file under node_modules/.cache, inside the package, where the module finds the
 * package's root (server/paths.ts) and its dependencies. A test file that bundles calls removeBundles in its afterAll.
 */
export function bundledSource(entry: string): Promise<string> {
  let made = bundles.get(entry);
  if (made === undefined) {
    made = bundle(entry);
    bundles.set(entry, made);
  }
  return made;
}

/** Removes this test file's bundles. */
export function removeBundles(): void {
  if (bundleDir !== undefined) rmSync(bundleDir, { recursive: true, force: true });
  bundleDir = undefined;
  bundles.clear();
}

const BUNDLES = path.join(ROOT, 'node_modules/.cache/emulator-test-bundles');
const bundles = new Map<string, Promise<string>>();
let bundleDir: string | undefined;

async function bundle(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  if (bundleDir === undefined) {
    mkdirSync(BUNDLES, { recursive: true });
    // What a test process that was killed before its afterAll left, an hour ago or more.
    for (const name of readdirSync(BUNDLES)) {
      const old = path.join(BUNDLES, name);
      const modified = statSync(old, { throwIfNoEntry: false })?.mtimeMs ?? Date.now(); // gone meanwhile: another test's
      if (Date.now() - modified > 3_600_000) rmSync(old, { recursive: true, force: true });
    }
    bundleDir = mkdtempSync(path.join(BUNDLES, 'run-'));
  }
  const outfile = path.join(bundleDir, `${path.basename(entry, '.ts')}-${bundles.size}.mjs`);
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** Resolves with the first stdout match of `pattern`, rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
}

export function tempDir(prefix = 'emulator-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Environment for a child: the test's own, minus what jest sets that would change the emulator's defaults. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // npm run by a test writes no debug log to ~/.npm/_logs, where it would push out the developer's own (npm keeps
  // the last 10); what a failing npm says reaches the test through its stderr.
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_logs_max: '0', ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

export function spawnProcess(command: string, args: readonly string[], env: Record<string, string> = {}, cwd = ROOT): Spawned {
  const child = spawn(command, args, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  tracked(child);
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  // Decoded as a stream: a character whose UTF-8 bytes two chunks share stays whole (a report's `×`, `–`).
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    // A command that could not be started (not found, a cwd gone) emits no 'exit': its waits end with the error.
    child.once('error', (error) => {
      if (child.pid !== undefined) return;
      err += `${error.message}\n`;
      resolve({ code: null, signal: null });
    });
  });
  let done = false;
  void exited.then(() => {
    done = true;
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) resolve(match);
          else if (done) reject(new Error(`process exited before printing ${pattern}\nstdout: ${out}\nstderr: ${err}`));
          else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** A command run to its end: its exit code, and all it wrote once its output closed. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = spawnProcess(command, args, env, cwd);
  const closed = new Promise((resolve) => run.child.once('close', resolve));
  const { code } = await run.exited;
  if (run.child.pid !== undefined) await closed;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/**
 * The emulator as `npm start` runs it, on a free port unless `env` or a `--port` flag names one:
 * the suite must pass while an emulator already runs on the default port 4000.
 */
export function spawnEmulator(args: readonly string[], env: Record<string, string> = {}): Spawned {
  return spawnProcess(process.execPath, [...CLI_MAIN, ...args], { PORT: '0', ...env });
}

export const LISTENING = /listening on (https?:\/\/\S+)\/beta/;
