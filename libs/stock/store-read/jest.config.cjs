module.exports = {
  displayName: 'stock-store-read',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
