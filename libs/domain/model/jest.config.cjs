module.exports = {
  displayName: 'domain-model',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
