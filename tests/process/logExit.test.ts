// The log's buffer at the end of a process: lines gathered but not yet written (logger.ts) are written when the
// process exits, whether it ends itself or an uncaught error ends it; only a kill -9 can lose them. A stop gives a
// stdout reader that stopped reading a moment to take the lines that wait for it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { CLI_MAIN, ROOT, bundledSource, removeBundles, spawnProcess, tracked } from '../support/childProcess.js';
import { stdoutRecords } from '../support/emulatorProcess.js';

/** server/logger.ts bundled, run on plain node. */
let LOGGER: string;
beforeAll(async () => {
  LOGGER = await bundledSource('server/logger.ts');
});
afterAll(removeBundles);

/** A process that logs three lines at info to stdout (well under a batch, long before the flush timer), then ends as `end` says. */
function logThen(end: string) {
  const script = `
    const { createLogger } = await import(${JSON.stringify(LOGGER)});
    const logger = createLogger({ level: 'info', format: 'json' });
    for (let i = 0; i < 3; i += 1) logger.info({ i }, 'line ' + i);
    ${end}`;
  return spawnProcess(process.execPath, ['--input-type=module', '-e', script]);
}

const logged = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { i: number; msg: string; level: string });

describe('the log buffer at exit', () => {
  it('is written when an uncaught error ends the process', async () => {
    const proc = logThen("setTimeout(() => { throw new Error('boom'); }, 5);");
    expect(await proc.exited).toEqual({ code: 1, signal: null });
    expect(proc.stderr()).toContain('boom');
    expect(logged(proc.stdout())).toEqual([0, 1, 2].map((i) => expect.objectContaining({ level: 'info', i, msg: `line ${i}` })));
  });

  it('is written when the process exits on its own', async () => {
    const proc = logThen('process.exit(3);');
    expect(await proc.exited).toEqual({ code: 3, signal: null });
    expect(logged(proc.stdout()).map((line) => line.i)).toEqual([0, 1, 2]);
  });

  it('is lost to a kill -9 before the flush timer, as the docs say', async () => {
    const proc = logThen("process.kill(process.pid, 'SIGKILL');");
    expect(await proc.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(proc.stdout()).toBe('');
  });
});

describe('the backlog of a stdout reader that stopped reading', () => {
  it('is written at a stop once the reader reads again (within 2 s), the stop lines after it', async () => {
    const child = tracked(
      spawn(process.execPath, CLI_MAIN, {
        cwd: ROOT,
        env: { ...process.env, PORT: '0', DATA_FILE: ':memory:', FIXTURES: 'empty', LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stdoutClosed = new Promise((resolve) => child.stdout.once('close', resolve));
    let text = '';
    const listening = new Promise<number>((resolve) => {
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        const port = /listening on https?:\/\/[^:]+:(\d+)/.exec(text)?.[1];
        if (port === undefined) return;
        child.stdout.off('data', onData);
        child.stdout.pause();
        resolve(Number(port));
      };
      child.stdout.on('data', onData);
    });
    const port = await listening;
    // Some 300 lines of about 600 bytes: nearly three times what a pipe holds, well within the 1 MiB backlog.
    const long = 'x'.repeat(400);
    for (let i = 0; i < 300; i += 1) {
      const res = await fetch(`http://127.0.0.1:${port}/beta/identityGovernance/entitlementManagement/accessPackages?$filter=displayName eq '${long}${i}'`, {
        headers: { Authorization: 'Bearer t' },
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.stdout.resume();
    expect(await exited).toBe(0);
    await stdoutClosed;
    const records = stdoutRecords(text);
    expect(records.filter((record) => record['path'] !== undefined)).toHaveLength(300);
    expect(records.slice(-2).map((record) => record['msg'])).toEqual(['SIGTERM: finishing in-flight requests and flushing data', 'stopped: data flushed']);
  });
});
