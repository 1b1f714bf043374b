// jest runs the TypeScript sources as native ESM (lowdb and json-schema-faker are ESM-only);
// @swc/jest only strips types, `npm run typecheck` is what checks them.
export default {
  testEnvironment: 'node',
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
  // Process-level tests spawn real servers; a slow shared machine must not flake them.
  testTimeout: 30000,
};
