module.exports = {
  displayName: 'restock-queue',
  preset: '../../../jest.preset.js',
  rootDir: '.',
};
