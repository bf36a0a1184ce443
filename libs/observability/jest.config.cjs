module.exports = {
  displayName: 'observability',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/observability',
};
