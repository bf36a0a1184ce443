module.exports = {
  displayName: 'dev-tools',
  preset: '../jest.preset.js',
  rootDir: '.',
  // One DynamoDB Local for the run: these tests talk to a real DynamoDB.
  globalSetup: '<rootDir>/../libs/shared/local-services/jest/dynamodb-setup.ts',
  globalTeardown: '<rootDir>/../libs/shared/local-services/jest/dynamodb-teardown.ts',
  roots: ['<rootDir>/local-stack', '<rootDir>/load-testing', '<rootDir>/capacity'],
  testTimeout: 120000,
  // These suites start processes, servers and connections by the dozen: should a failed start ever
  // leave one open, the run still ends (with Jest's warning) instead of waiting on it for ever.
  forceExit: true,
};
