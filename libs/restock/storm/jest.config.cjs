module.exports = {
  displayName: 'restock-storm',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
