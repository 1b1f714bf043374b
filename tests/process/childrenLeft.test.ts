// A test file that fails between a spawn and its kill leaves no process behind: the suite's environment
// (tests/support/testEnvironment.ts) kills the children the file still has once its hooks have run, where a
// `process.on('exit')` handler in the file never ran (the file's `process` is jest's copy, not the worker's).
import { expect, it } from '@jest/globals';
import { spawnProcess } from '../support/childProcess.js';
import { nestedJest } from '../support/nestedJest.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Whether `pid` is gone within a few seconds: a SIGKILL takes effect as the kernel next runs the process. */
async function goneSoon(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 30));
  return !alive(pid);
}

it('kills the child a failing test file left running, once the file is done', async () => {
  const result = await nestedJest('tests/process/childrenLeft.fixture.ts');
  // The fixture's test failed where it meant to, after its child had started.
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('✕ fails between a spawn and its kill');
  expect(result.stderr).toContain('"the kill that never came"');
  const pid = Number(/child pid (\d+)/.exec(result.stdout)?.[1]);
  expect(pid).toBeGreaterThan(0);
  const gone = await goneSoon(pid);
  if (!gone) process.kill(pid, 'SIGKILL');
  expect(gone).toBe(true);
});

it('ends the waits on a command that could not start with its error, where they waited for the test to time out', async () => {
  const missing = spawnProcess('emulator-test-no-such-command', []);
  await expect(missing.waitFor(/listening/)).rejects.toThrow(/process exited before printing \/listening\/[\s\S]*spawn emulator-test-no-such-command ENOENT/);
  expect(await missing.exited).toEqual({ code: null, signal: null });
});
