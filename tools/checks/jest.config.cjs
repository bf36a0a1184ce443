module.exports = {
  displayName: 'repo-checks',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testTimeout: 120000,
};
