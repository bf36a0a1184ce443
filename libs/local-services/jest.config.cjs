module.exports = {
  displayName: 'local-services',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/local-services',
};
