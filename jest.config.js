/** @type {import('jest').Config} */
module.exports = {
  roots: ['<rootDir>/test'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['**/*.test.ts'],
  // Tests that need a system server (PostgreSQL, Redis, or both for the cluster's) run under `npm run test:pg`
  // (jest.pg.config.js), which starts throwaway ones: `npm test` needs nothing installed beyond npm.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/postgres/', '<rootDir>/test/cluster/', '<rootDir>/test/redis/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/test/stop-leftover-servers.ts'],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/reporters/summary.js'],
};
