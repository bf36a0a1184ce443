module.exports = {
  displayName: 'image-checks',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testTimeout: 120000,
};
