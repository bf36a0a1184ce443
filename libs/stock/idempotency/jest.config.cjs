module.exports = {
  displayName: 'stock-idempotency',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  // One DynamoDB Local for the run: these tests talk to a real DynamoDB.
  globalSetup: '<rootDir>/../../shared/local-services/jest/dynamodb-setup.ts',
  globalTeardown: '<rootDir>/../../shared/local-services/jest/dynamodb-teardown.ts',
};
