// A jest of its own, run over fixture files outside the suite's testMatch: for what only a whole jest run shows (what
// a file leaves behind once it ends, what one file leaves to the next in the same process).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { childEnv, ROOT } from './childProcess.js';

const JEST = path.join(ROOT, 'node_modules/jest/bin/jest.js');

export interface JestRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs jest, with the suite's configuration, over the files `testMatch` names (relative to the repository). */
export async function nestedJest(testMatch: string, args: string[] = []): Promise<JestRun> {
  const env = childEnv({ NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning' });
  for (const key of Object.keys(env)) if (key.startsWith('JEST_')) delete env[key];
  const all = [JEST, '--rootDir', ROOT, '--testMatch', `<rootDir>/${testMatch}`, '--ci', '--colors=false', '--forceExit', ...args];
  return promisify(execFile)(process.execPath, all, { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: JestRun) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}
