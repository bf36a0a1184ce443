module.exports = {
  displayName: 'memorydb',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/memorydb',
};
