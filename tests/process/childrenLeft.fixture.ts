// Run by childrenLeft.test.ts in a jest of its own (outside the suite's testMatch): starts a child that runs until it
// is killed, notes its pid, and fails before it kills it, as a test whose expectation throws between the two does.
import { writeFileSync } from 'node:fs';
import { expect, it } from '@jest/globals';
import { spawnProcess } from '../support/childProcess.js';

it('fails between a spawn and its kill', async () => {
  const { child, waitFor } = spawnProcess(process.execPath, ['-e', "console.log('running'); setInterval(() => {}, 1000)"]);
  await waitFor(/running/);
  writeFileSync(process.env['CHILD_PID_FILE'] ?? '', String(child.pid));
  expect('the kill that never came').toBe('reached');
});
