module.exports = {
  displayName: 'restock-store-processing',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
