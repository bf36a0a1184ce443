module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../coverage/tools',
  testTimeout: 120000,
};
