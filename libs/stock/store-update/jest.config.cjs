module.exports = {
  displayName: 'stock-store-update',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
