/** @type {import('jest').Config} */
module.exports = {
  roots: ['<rootDir>/test'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['**/*.test.ts'],
  // PostgreSQL-only tests (and the cluster's, which share one PostgreSQL) need the throwaway server of `npm run test:pg` (jest.pg.config.js)
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/postgres/', '<rootDir>/test/cluster/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/reporters/summary.js'],
};
