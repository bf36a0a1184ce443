module.exports = {
  displayName: 'http-server',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/http-server',
};
