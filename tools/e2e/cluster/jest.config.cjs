// The platform's e2e suites once more, against a 3-node Redis Cluster (as MemoryDB runs): the same
// specs as tools/e2e, with REDIS_URL and MEMORYDB_MODE pointing every environment and app at it.
const base = require('../jest.config.cjs');

module.exports = {
  ...base,
  displayName: 'platform-e2e-cluster',
  rootDir: '..',
  globalSetup: '<rootDir>/../../libs/shared/local-services/jest/redis-cluster-setup.ts',
  globalTeardown: '<rootDir>/../../libs/shared/local-services/jest/redis-cluster-teardown.ts',
};
