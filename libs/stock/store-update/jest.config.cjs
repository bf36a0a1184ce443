module.exports = {
  displayName: 'stock-store-update',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  // One DynamoDB Local for the run: the writers' specs talk to a real DynamoDB and Redis.
  globalSetup: '<rootDir>/../../shared/local-services/jest/dynamodb-setup.ts',
  globalTeardown: '<rootDir>/../../shared/local-services/jest/dynamodb-teardown.ts',
};
