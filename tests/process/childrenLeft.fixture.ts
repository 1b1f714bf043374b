// Run by childrenLeft.test.ts in a jest of its own (outside the suite's testMatch): starts a child that runs until it
// is killed, writes its pid on stdout, and fails before it kills it, as a test whose expectation throws between the two does.
import { expect, it } from '@jest/globals';
import { spawnProcess } from '../support/childProcess.js';

it('fails between a spawn and its kill', async () => {
  const { child, waitFor } = spawnProcess(process.execPath, ['-e', "console.log('running'); setInterval(() => {}, 1000)"]);
  await waitFor(/running/);
  process.stdout.write(`child pid ${child.pid}\n`);
  expect('the kill that never came').toBe('reached');
});
