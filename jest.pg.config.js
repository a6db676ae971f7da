/**
 * `npm run test:pg`: the store conformance suite, the PostgreSQL-only tests and the integration tests whose
 * servers run on PostgreSQL (test/helpers/app.ts), against one throwaway PostgreSQL started for the run
 * (scripts/throwaway-postgres.js).
 *
 * The other integration files are not listed: they check what is on disk with SQLite's SQL
 * (test/helpers/db.ts), create accounts with the CLI on the SQLite file, or open a SQLite store directly.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

const INTEGRATION_ON_POSTGRES = [
  'analytics-routes',
  'bad-frames',
  'hot-reload',
  'login-throttle',
  'regional-content',
  'resume-and-isolation',
  'shopper-chat',
  'shopper-identity',
  'ticket-replies',
];

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: [
    '<rootDir>/test/postgres/**/*.test.ts',
    '<rootDir>/test/store/**/*.test.ts',
    ...INTEGRATION_ON_POSTGRES.map((name) => `<rootDir>/test/integration/${name}.test.ts`),
  ],
  globalSetup: '<rootDir>/test/postgres/global-setup.ts',
  globalTeardown: '<rootDir>/test/postgres/global-teardown.ts',
};
