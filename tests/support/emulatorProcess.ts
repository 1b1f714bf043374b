// The command line as `npm start` runs it (its build), started with an empty store on a free port, for tests about
// processes, signals and files. Built on the generic spawner in childProcess.ts.
import { ROOT, type Spawned, LISTENING, spawnEmulator as spawnCli, tempDir as tempDirSync } from './childProcess.js';

export { ROOT };

export interface EmulatorProcess {
  child: Spawned['child'];
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

export async function tempDir(prefix?: string): Promise<string> {
  return tempDirSync(prefix);
}

/** The process's handles, its exit as one value. */
function handles(proc: Spawned): Omit<EmulatorProcess, 'url'> {
  return { child: proc.child, stdout: proc.stdout, stderr: proc.stderr, exited: proc.exited.then(({ code, signal }) => code ?? signal ?? -1) };
}

/** Spawn `node dist/server/cli.js args` on PORT=0. A fresh store starts empty unless `env` sets FIXTURES. */
export function spawnEmulator(args: string[], env: Record<string, string> = {}): Omit<EmulatorProcess, 'url'> {
  return handles(spawnCli(args, { PORT: '0', FIXTURES: 'empty', ...env }));
}

/** Spawn and wait until the process prints its URL (it listens on PORT=0, a free port). */
export async function startEmulator(args: string[], env: Record<string, string> = {}): Promise<EmulatorProcess> {
  const proc = spawnCli(args, { PORT: '0', FIXTURES: 'empty', ...env });
  const [, url] = await proc.waitFor(LISTENING);
  return { ...handles(proc), url: url! };
}

/**
 * Every line of a spawned emulator's stdout, each parsed: without a terminal the log and the command line's own
 * lines are JSON records, one a line (a line that is not JSON fails the test here).
 */
export function stdoutRecords(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** What the command line itself said on stdout (`SIGTERM: finishing…`): the records that are no request's line. */
export function said(stdout: string): string[] {
  return stdoutRecords(stdout)
    .filter((record) => record['method'] === undefined && record['level'] === 'info')
    .map((record) => record['msg'] as string);
}
