module.exports = {
  displayName: 'restock-storm',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/restock-storm',
};
