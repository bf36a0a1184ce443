module.exports = {
  displayName: 'stock-counters-and-cache',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
