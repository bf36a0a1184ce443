module.exports = {
  displayName: 'events-webhooks',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  // One DynamoDB Local for the run: the repository's spec talks to a real DynamoDB.
  globalSetup: '<rootDir>/../../../libs/shared/local-services/jest/dynamodb-setup.ts',
  globalTeardown: '<rootDir>/../../../libs/shared/local-services/jest/dynamodb-teardown.ts',
};
