const nxPreset = require('@nx/jest/preset').default;

// One Jest setup for every project: swc transpiles TypeScript (fast, no type-check; `tsc` does that
// in the typecheck target), and Nx's resolver maps the tsconfig path aliases to the libs' sources.
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
};
