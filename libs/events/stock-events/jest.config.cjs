module.exports = {
  displayName: 'events-stock-events',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
