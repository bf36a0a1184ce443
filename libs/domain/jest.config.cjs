module.exports = {
  displayName: 'domain',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/domain',
};
