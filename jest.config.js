// jest runs the TypeScript sources as native ESM (lowdb and json-schema-faker are ESM-only);
// @swc/jest only strips types, `npm run typecheck` is what checks them.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // Process-level tests spawn real servers; a slow shared machine must not flake them.
  testTimeout: 30000,
};
