module.exports = {
  displayName: 'stock-store-update',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  // One DynamoDB Local for the run: the writers' specs talk to a real DynamoDB and Redis.
  globalSetup: '<rootDir>/../../../libs/shared/local-services/jest/dynamodb-setup.ts',
  globalTeardown: '<rootDir>/../../../libs/shared/local-services/jest/dynamodb-teardown.ts',
};
