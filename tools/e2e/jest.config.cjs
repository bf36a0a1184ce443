module.exports = {
  displayName: 'platform-e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  // One DynamoDB Local for the run: these suites talk to a real DynamoDB (storms start their own).
  globalSetup: '<rootDir>/../../libs/shared/local-services/jest/dynamodb-setup.ts',
  globalTeardown: '<rootDir>/../../libs/shared/local-services/jest/dynamodb-teardown.ts',
  testTimeout: 120000,
  // Each suite runs several app processes: two suites side by side already fill two cores, and two
  // storm suites together starved each other past their time limits.
  maxWorkers: 1,
  // Should a failed start ever leave a process or connection open, the run still ends (with Jest's warning).
  forceExit: true,
};
