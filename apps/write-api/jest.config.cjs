module.exports = {
  displayName: 'write-api',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/write-api',
};
