module.exports = {
  displayName: 'stock-idempotency',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  globalSetup: '<rootDir>/../../shared/local-services/jest/dynamodb-setup.ts',
  globalTeardown: '<rootDir>/../../shared/local-services/jest/dynamodb-teardown.ts',
};
