/**
 * `npm run test:pg`: the store conformance suite, the PostgreSQL-only tests and the integration tests whose
 * servers run on PostgreSQL (test/helpers/app.ts), against one throwaway PostgreSQL started for the run
 * (scripts/throwaway-postgres.js).
 *
 * Their assertions on what is on disk run there too (test/helpers/db.ts, test/helpers/postgres.ts). Not listed:
 * store, whose cases are SQLite's own (the file in WAL mode, its migrations' user_version,
 * group commit seen from a second connection to the file); their backend-neutral counterparts are in
 * the conformance suite in test/store.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

const INTEGRATION_ON_POSTGRES = [
  'agent-auth',
  'analytics',
  'analytics-routes',
  'bad-frames',
  'csat',
  'handoff',
  'hot-reload',
  'knowledge-editing',
  'knowledge-gaps-store',
  'load-shedding',
  'login-throttle',
  'messenger',
  'metrics',
  'regional-content',
  'resume-and-isolation',
  'shopper-chat',
  'shopper-identity',
  'team-routes',
  'ticket-replies',
  'turn-failure',
  'upgrade-hardening',
  'whatsapp',
];

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: [
    '<rootDir>/test/postgres/**/*.test.ts',
    // Several nodes on one database and one Redis (test/helpers/redis.ts starts a throwaway redis-server).
    '<rootDir>/test/cluster/**/*.test.ts',
    // The Redis bus, and the limits shared through it (a throwaway redis-server each).
    '<rootDir>/test/redis/**/*.test.ts',
    '<rootDir>/test/store/**/*.test.ts',
    ...INTEGRATION_ON_POSTGRES.map((name) => `<rootDir>/test/integration/${name}.test.ts`),
  ],
  globalSetup: '<rootDir>/test/postgres/global-setup.ts',
  globalTeardown: '<rootDir>/test/postgres/global-teardown.ts',
};
