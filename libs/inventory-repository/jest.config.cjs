module.exports = {
  displayName: 'inventory-repository',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/inventory-repository',
};
