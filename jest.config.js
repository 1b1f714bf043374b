// jest runs the TypeScript sources as native ESM (lowdb and json-schema-faker are ESM-only);
// @swc/jest only strips types, `npm run typecheck` is what checks them.
import { availableParallelism } from 'node:os';

export default {
  testEnvironment: 'node',
  // jest's default is one worker less than the cores: one worker on a 2-core machine, where most suites wait on
  // processes, sockets and the disk rather than the CPU. Two workers there took the suite from about 250 s to 160 s.
  maxWorkers: Math.max(2, availableParallelism() - 1),
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
