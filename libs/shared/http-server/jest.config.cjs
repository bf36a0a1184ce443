module.exports = {
  displayName: 'shared-http-server',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
