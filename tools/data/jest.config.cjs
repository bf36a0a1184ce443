module.exports = {
  displayName: 'data-tools',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testTimeout: 120000,
};
