module.exports = {
  displayName: 'stock-maintenance',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
