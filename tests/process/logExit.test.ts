// The log's buffer at the end of a process: lines gathered but not yet written (logger.ts) are written when the
// process exits, whether it ends itself or an uncaught error ends it; only a kill -9 can lose them.
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { ROOT, spawnProcess } from '../support/childProcess.js';

/** A process that logs three lines at info to stdout (well under a batch, long before the flush timer), then ends as `end` says. */
function logThen(end: string) {
  const script = `
    const { createLogger } = await import(${JSON.stringify(path.join(ROOT, 'server/logger.ts'))});
    const logger = createLogger({ level: 'info', format: 'json' });
    for (let i = 0; i < 3; i += 1) logger.info({ i }, 'line ' + i);
    ${end}`;
  return spawnProcess(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
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
