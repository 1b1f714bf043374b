// `npm start` runs the build, never a stale one: in a copy of the working tree (sharing its node_modules), a missing
// build is made first, a fresh one runs as it is, and one older than a file of server/ is rebuilt, each time saying so;
// the admin page (ui/) the same way. `npm run dev` runs the sources and starts again when one changes (a file of the
// copy, never of the tree the other tests run).
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_VERSION } from '../../server/version.js';
import { ROOT, childEnv, spawnProcess, tempDir } from '../support/childProcess.js';
import { section } from '../support/markdown.js';

const work = tempDir('emulator-npm-start-');
for (const entry of ['package.json', 'server', 'scripts', 'fixtures', 'ui']) cpSync(path.join(ROOT, entry), path.join(work, entry), { recursive: true });
symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'));

async function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(command, args, { cwd: work, env: childEnv({}), encoding: 'utf8', timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

/** `npm start -- args`. */
const npmStart = (...args: string[]) => run('npm', ['start', '--silent', '--', ...args]);
/**
 * What `npm start` execs (package.json: `exec node scripts/start.cjs`), without npm's own start, which costs twice
 * as much as the script's: once npm start is seen to run the script, the checks of the build's freshness run it.
 */
const startScript = (...args: string[]) => run(process.execPath, ['scripts/start.cjs', ...args]);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('npm start', () => {
  it('builds the command line when it is not built, runs a fresh build as it is, and rebuilds one older than server/', async () => {
    expect(await npmStart('--version')).toEqual({
      code: 0,
      stdout: `${PACKAGE_VERSION}\n`,
      stderr:
        'the command line is not built yet: building it (npm run build builds everything)\n' +
        'the admin page is not built yet: building it (npm run build builds everything)\n',
    });
    expect(await startScript('--version')).toEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });

    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(work, 'server/config.ts'), later, later);
    expect(await startScript('--version')).toEqual({
      code: 0,
      stdout: `${PACKAGE_VERSION}\n`,
      stderr: 'server/config.ts changed since the command line was built: rebuilding it (npm run build rebuilds everything)\n',
    });
    // The line docs/running.md quotes, as it is written.
    expect(section('docs/running.md', 'The command line and the build').replaceAll('\n', ' ')).toContain(
      '`server/config.ts changed since the command line was built: rebuilding it (npm run build rebuilds everything)`',
    );
    // config.ts back in the past (its time ahead would still be newer than the rebuilt bundle), then the page's source ahead.
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(path.join(work, 'server/config.ts'), earlier, earlier);
    utimesSync(path.join(work, 'ui/main.ts'), later, later);
    expect(await startScript('--version')).toEqual({
      code: 0,
      stdout: `${PACKAGE_VERSION}\n`,
      stderr: 'ui/main.ts changed since the admin page was built: rebuilding it (npm run build rebuilds everything)\n',
    });
    expect(existsSync(path.join(work, 'dist/ui/index.html'))).toBe(true);
    // A build made before the command line had its CommonJS entry (scripts/start.cjs loads it) counts as not built.
    utimesSync(path.join(work, 'ui/main.ts'), earlier, earlier);
    rmSync(path.join(work, 'dist/server/cli.entry.cjs'));
    expect(await startScript('--version')).toEqual({
      code: 0,
      stdout: `${PACKAGE_VERSION}\n`,
      stderr: 'the command line is not built yet: building it (npm run build builds everything)\n',
    });
  }, 90_000);
});

describe('npm run dev', () => {
  it('runs the sources, and stops and starts again, its data flushed, when one of them changes', async () => {
    const dev = spawnProcess('npm', ['run', '--silent', 'dev'], { PORT: '0', DATA_FILE: path.join(work, 'dev.json'), FIXTURES: 'empty' }, work);
    try {
      const [, first] = await dev.waitFor(/listening on (http:\/\/\S+)\/beta/);
      const health = async (url: string) => (await fetch(`${url}/_emulator/health`)).json();
      expect(await health(first!)).toMatchObject({ status: 'ok', version: PACKAGE_VERSION, store: 'dev.json' });
      // A change of a source (its time, as an editor's save moves it): tsx stops the emulator as SIGTERM does, and
      // runs the sources again.
      const later = new Date(Date.now() + 120_000);
      utimesSync(path.join(work, 'server/config.ts'), later, later);
      const [restart, second] = await dev.waitFor(/listening on http[^\n]*\n([\s\S]*)listening on (http:\/\/\S+)\/beta/).then((m) => [m[1]!, m[2]!]);
      expect(restart).toMatch(/SIGTERM: finishing in-flight requests and flushing data[\s\S]*stopped: data flushed/);
      expect(await health(second!)).toMatchObject({ status: 'ok', version: PACKAGE_VERSION, store: 'dev.json' });
    } finally {
      dev.child.kill('SIGTERM');
      await dev.exited;
    }
  }, 60_000);
});
