module.exports = {
  displayName: 'stock-maintenance',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  // One DynamoDB Local for the run: these tests talk to a real DynamoDB.
  globalSetup: '<rootDir>/../../../libs/shared/local-services/jest/dynamodb-setup.ts',
  globalTeardown: '<rootDir>/../../../libs/shared/local-services/jest/dynamodb-teardown.ts',
};
