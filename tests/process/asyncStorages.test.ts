// The AsyncLocalStorage jest-circus makes for each test file is disabled when the file ends
// (tests/support/testEnvironment.ts): on Node 20 every enabled storage is called on, and stamps its symbol on, each
// new promise, so a worker's files would pay for all the storages of the files it ran before.
import { expect, it } from '@jest/globals';
import { nestedJest } from '../support/nestedJest.js';

it("stamps a file's promises with its own storage alone, not those of the files run before it in the process", async () => {
  // The same test in two files, one after the other in one process: the second found 2 stamps before.
  const result = await nestedJest('tests/process/asyncStorages*.fixture.ts', ['--runInBand']);
  expect(result.stderr).toMatch(/Tests: +2 passed, 2 total/);
  expect(result.stderr).toMatch(/Test Suites: +2 passed, 2 total/);
  expect(result.code).toBe(0);
});
