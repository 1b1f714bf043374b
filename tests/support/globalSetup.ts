// jest's globalSetup, run before any worker starts:
// - the build brought up to date with the sources (scripts/freshBuild.cjs, the check `npm start` makes): the
//   process-level tests start the emulator from dist/, as `npm start` runs it, whichever way jest was started;
// - one scratch folder for the whole run, removed when jest exits. The tests make hundreds of data files, journals,
//   certificates, packed tarballs and browser profiles, almost all through os.tmpdir(); pointing TMPDIR at this
//   run's own folder (the workers, and every process they spawn, inherit it) puts all of them in one place, so
//   that a run leaves nothing in the system's temporary folder. KEEP_TEST_FILES=1 keeps it, for a look at what a
//   failing test wrote.
//
// jest loads this file on its own, without the test files' module mapping: it imports nothing of the project.
// The removal runs when jest's process exits (it ran this setup), so after a failed run and a bail as well.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Names this run's folder for the processes of the run. */
export const SCRATCH_VARIABLE = 'GRAPH_EMULATOR_TEST_SCRATCH';
export const SCRATCH_PREFIX = 'graph-emulator-tests-';

export function createScratchFolder(env: NodeJS.ProcessEnv = process.env): string {
  const folder = mkdtempSync(path.join(tmpdir(), SCRATCH_PREFIX));
  env[SCRATCH_VARIABLE] = folder;
  env['TMPDIR'] = folder;
  return folder;
}

/** Removes the folder the setup made, unless KEEP_TEST_FILES=1: then it answers the folder kept. */
export function removeScratchFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const folder = env[SCRATCH_VARIABLE];
  if (folder === undefined || env['KEEP_TEST_FILES'] === '1') return folder;
  rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  return undefined;
}

/**
 * The run's folder, made unless this process has one already: jest's watch mode and mutation testing's runner start
 * several runs in one process, and a second folder would be made inside the first and removed alone. Undefined when
 * there was one.
 */
export function scratchFolderOnce(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[SCRATCH_VARIABLE] === undefined ? createScratchFolder(env) : undefined;
}

export default function globalSetup(_global: unknown, project: { rootDir: string }): void {
  execFileSync(process.execPath, [path.join(project.rootDir, 'scripts/freshBuild.cjs')], { stdio: 'inherit' });
  if (scratchFolderOnce() === undefined) return;
  process.once('exit', () => {
    const kept = removeScratchFolder();
    if (kept !== undefined) process.stderr.write(`KEEP_TEST_FILES=1: the tests' files are in ${kept}\n`);
  });
}
