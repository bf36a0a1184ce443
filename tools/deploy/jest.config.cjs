module.exports = {
  displayName: 'deploy-tools',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testTimeout: 120000,
};
