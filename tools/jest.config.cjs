module.exports = {
  displayName: 'dev-tools',
  preset: '../jest.preset.js',
  rootDir: '.',
  roots: ['<rootDir>/local-stack', '<rootDir>/load-testing'],
  testTimeout: 120000,
};
