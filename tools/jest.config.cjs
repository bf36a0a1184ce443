module.exports = {
  displayName: 'dev-tools',
  preset: '../jest.preset.js',
  rootDir: '.',
  // One DynamoDB Local for the run: these tests talk to a real DynamoDB.
  globalSetup: '<rootDir>/../libs/shared/local-services/jest/dynamodb-setup.ts',
  globalTeardown: '<rootDir>/../libs/shared/local-services/jest/dynamodb-teardown.ts',
  roots: ['<rootDir>/local-stack', '<rootDir>/load-testing', '<rootDir>/hardening'],
  testTimeout: 120000,
};
