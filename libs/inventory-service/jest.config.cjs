module.exports = {
  displayName: 'inventory-service',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/inventory-service',
};
