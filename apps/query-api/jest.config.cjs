module.exports = {
  displayName: 'query-api',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/query-api',
};
