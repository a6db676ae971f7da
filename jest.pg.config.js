/**
 * `npm run test:pg`: the store conformance suite, the PostgreSQL-only tests and the integration tests,
 * against one throwaway PostgreSQL (scripts/throwaway-postgres.js) started for the run.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['<rootDir>/test/postgres/**/*.test.ts', '<rootDir>/test/store/**/*.test.ts'],
  globalSetup: '<rootDir>/test/postgres/global-setup.ts',
  globalTeardown: '<rootDir>/test/postgres/global-teardown.ts',
};
