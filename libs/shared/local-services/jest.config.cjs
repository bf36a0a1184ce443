module.exports = {
  displayName: 'shared-local-services',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
