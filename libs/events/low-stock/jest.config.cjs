module.exports = {
  displayName: 'events-low-stock',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
