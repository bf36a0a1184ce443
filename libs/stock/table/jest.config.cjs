module.exports = {
  displayName: 'stock-table',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
