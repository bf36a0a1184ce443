module.exports = {
  displayName: 'events-webhooks',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  // One DynamoDB Local for the run: the repository's spec talks to a real DynamoDB.
  globalSetup: '<rootDir>/../../shared/local-services/jest/dynamodb-setup.ts',
  globalTeardown: '<rootDir>/../../shared/local-services/jest/dynamodb-teardown.ts',
};
