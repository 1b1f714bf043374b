// jest runs the TypeScript sources as native ESM (lowdb and json-schema-faker are ESM-only);
// @swc/jest only strips types, `npm run typecheck` is what checks them.
import { availableParallelism } from 'node:os';

export default {
  // Node's, which also kills the children a test file left running (tests/support/testEnvironment.ts).
  testEnvironment: '<rootDir>/tests/support/testEnvironment.ts',
  // jest's default is one worker less than the cores: one worker on a 2-core machine, where most suites wait on
  // processes, sockets, timers and the disk rather than the CPU. Two workers there took the suite from about 250 s
  // to 160 s; at 280 suites, three took it from 308 s to 271 s (the process tests' waits overlap others' work). At
  // 292, four took 291 and 306 s against three's 289 and 306 s: three keep both cores busy (2 % of their time idle).
  maxWorkers: Math.max(3, availableParallelism() - 1),
  // How long a worker has to exit once the run is over before jest kills it and reports it "failed to exit
  // gracefully" (jest's default: 500 ms). A worker holds a heap of several hundred MB by then (jest's ES module
  // mode keeps about 2 MB of every test file it ran, 4 to 5 MB of this suite's), and Node frees it as the worker
  // exits: about 300 ms for 700 MB, past 500 ms now and then on a busy 2-core machine, where the warning then
  // named a leak that was not there. A worker that still holds a timer, a socket or a child process is killed
  // after this time all the same, and the warning still names it: 3 s leaves room for a heap of 1 GB on a loaded
  // machine, and catches a leftover that holds a worker for longer.
  workerGracefulExitTimeout: 3_000,
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The package's own name, as the README's library examples import it, resolves to the sources.
    '^graph-accesspackages-emulator$': '<rootDir>/server/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // Every file a test writes goes into one folder of the run, deleted when jest exits (tests/support/globalSetup.ts).
  globalSetup: '<rootDir>/tests/support/globalSetup.ts',
  // One time limit for every fast-check property, so none can hold a worker without an answer.
  setupFiles: ['<rootDir>/tests/support/propertyLimits.ts'],
  // Process-level tests spawn real servers; a slow shared machine must not flake them.
  testTimeout: 30000,
};
