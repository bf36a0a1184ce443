module.exports = {
  displayName: 'events-webhooks',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
