module.exports = {
  displayName: 'restock-queue',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/restock-queue',
};
