module.exports = {
  displayName: 'restock-worker',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/restock-worker',
};
