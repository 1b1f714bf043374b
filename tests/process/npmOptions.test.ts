// `npm start --port 4100`, without the `--` that hands what follows to the script: npm reads the emulator's option
// as a config of its own (npm_config_port in the script's environment) and passes on only what it could not read.
import { describe, expect, it } from '@jest/globals';
import { LISTENING, spawnProcess } from '../support/childProcess.js';

/** `npm start` with `args` before any `--`, as a newcomer types it: its exit, or how it ran when it started serving. */
async function npmStartWithout(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawnProcess('npm', ['start', '--silent', ...args], { PORT: '0', DATA_FILE: ':memory:', LOG_FORMAT: 'json' });
  const served = await Promise.race([proc.waitFor(LISTENING).then(() => true), proc.exited.then(() => false)]);
  if (served) proc.child.kill('SIGTERM');
  const { code } = await proc.exited;
  return { code: served ? null : code, stdout: proc.stdout(), stderr: proc.stderr() };
}

describe('npm start without -- before the options', () => {
  it.each([
    // npm passes the value on alone, which the emulator took for an unknown option.
    [['--port', '4100'], '--port <value>'],
    // npm keeps the whole option, and the emulator started without it.
    [['--log-level=debug'], '--log-level <value>'],
    [['--seed=7'], '--seed <value>'],
  ])('%j stops with exit 2 and one line saying to put the options after --', async (args, shown) => {
    expect(await npmStartWithout(args)).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: npm took ${shown.split(' ')[0]} as an option of its own and did not pass it on: put the emulator's options after --, as in npm start -- ${shown}.\n`,
    });
  });

  it('runs with the options after --', async () => {
    const { code, stdout } = await npmStartWithout(['--', '--log-level', 'debug']);
    expect(code).toBeNull();
    expect(stdout).toMatch(LISTENING);
  });
});
