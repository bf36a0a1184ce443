import nx from '@nx/eslint-plugin';

// Who may import whom, on two axes. Each project has one `type:` (what kind of code it is) and one
// `scope:` (which part of the platform it belongs to); an import must satisfy both rows.
const LIB_TYPES = ['type:feature', 'type:data-access', 'type:util', 'type:domain'];
const LIB_SCOPES = ['scope:shared', 'scope:domain', 'scope:stock', 'scope:restock', 'scope:events', 'scope:service'];

const typeConstraints = [
  // Apps meet only in libs: an app may import libs, never another app.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: LIB_TYPES },
  // Use-cases and wiring over adapters over plumbing over the domain, never upwards.
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: LIB_TYPES },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:domain'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:domain'] },
  // The domain is pure: no infrastructure, no other lib.
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain'],
    bannedExternalImports: ['@aws-sdk/*', 'ioredis', 'bullmq', 'express', 'pino*'],
  },
  // Test support (local servers, test environments) may use anything but apps.
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', ...LIB_TYPES] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:tool', 'type:testing', ...LIB_TYPES] },
  // End-to-end suites run the built apps as processes, with test support and the libs to inspect them.
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', ...LIB_TYPES] },
  // Manifests import no code.
  { sourceTag: 'type:deploy', onlyDependOnLibsWithTags: [] },
];

const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'scope:domain'] },
  { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: ['scope:domain'] },
  { sourceTag: 'scope:stock', onlyDependOnLibsWithTags: ['scope:stock', 'scope:domain', 'scope:shared'] },
  { sourceTag: 'scope:events', onlyDependOnLibsWithTags: ['scope:events', 'scope:stock', 'scope:domain', 'scope:shared'] },
  { sourceTag: 'scope:restock', onlyDependOnLibsWithTags: ['scope:restock', 'scope:stock', 'scope:domain', 'scope:shared'] },
  // The service bootstrap wires stock's adapters into a running process; it knows no restock code.
  { sourceTag: 'scope:service', onlyDependOnLibsWithTags: ['scope:service', 'scope:stock', 'scope:domain', 'scope:shared'] },
  { sourceTag: 'scope:query', onlyDependOnLibsWithTags: ['scope:service', 'scope:stock', 'scope:domain', 'scope:shared'] },
  {
    sourceTag: 'scope:write',
    onlyDependOnLibsWithTags: ['scope:service', 'scope:restock', 'scope:events', 'scope:stock', 'scope:domain', 'scope:shared'],
  },
  {
    sourceTag: 'scope:worker',
    onlyDependOnLibsWithTags: ['scope:service', 'scope:restock', 'scope:events', 'scope:stock', 'scope:domain', 'scope:shared'],
  },
  { sourceTag: 'scope:dev', onlyDependOnLibsWithTags: ['scope:dev', ...LIB_SCOPES] },
  { sourceTag: 'scope:ops', onlyDependOnLibsWithTags: ['scope:ops', ...LIB_SCOPES] },
  { sourceTag: 'scope:checks', onlyDependOnLibsWithTags: ['scope:checks', ...LIB_SCOPES] },
  { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: [] },
];

/** Production code: kept in exported constants so their own specs can check them. */
export const depConstraints = [...scopeConstraints, ...typeConstraints];

/**
 * Test code (specs, a lib's `testing.ts` entry, `*.testing.ts` helpers) may also import test
 * support (`type:testing`: the local servers, test environments) from any scope; production code
 * never can, so no shipped bundle starts a local DynamoDB.
 */
export const TEST_FILES = ['**/*.spec.ts', '**/testing.ts', '**/*.testing.ts'];
export const testDepConstraints = depConstraints.map((row) =>
  row.sourceTag === 'type:deploy' ? row : { ...row, onlyDependOnLibsWithTags: [...row.onlyDependOnLibsWithTags, 'type:testing'] },
);

const boundaries = (constraints) => ({
  '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints: constraints }],
});

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '**/.nx', '**/jest.config.cjs', 'jest.preset.js'] },
  { files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'], rules: boundaries(depConstraints) },
  { files: TEST_FILES, rules: boundaries(testDepConstraints) },
];
