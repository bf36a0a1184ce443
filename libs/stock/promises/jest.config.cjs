module.exports = {
  displayName: 'stock-promises',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  globalSetup: '<rootDir>/../../../libs/shared/local-services/jest/dynamodb-setup.ts',
  globalTeardown: '<rootDir>/../../../libs/shared/local-services/jest/dynamodb-teardown.ts',
};
