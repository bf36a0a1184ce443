module.exports = {
  displayName: 'restock-cpu-governor',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
