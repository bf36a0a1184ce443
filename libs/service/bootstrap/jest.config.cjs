module.exports = {
  displayName: 'service-bootstrap',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
