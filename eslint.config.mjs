import nx from '@nx/eslint-plugin';

/** Who may import whom. Kept in one exported constant so its own spec can check it. */
export const depConstraints = [
  // Apps meet only in libs: an app may import libs, never another app.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
  // The domain is pure: no infrastructure, no other lib.
  {
    sourceTag: 'scope:domain',
    onlyDependOnLibsWithTags: ['scope:domain'],
    bannedExternalImports: ['@aws-sdk/*', 'ioredis', 'bullmq', 'express', 'pino*'],
  },
  // Infrastructure adapters know the domain and shared plumbing, not each other's use-cases.
  { sourceTag: 'scope:data', onlyDependOnLibsWithTags: ['scope:domain', 'scope:shared', 'scope:data', 'scope:local'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:domain', 'scope:shared', 'scope:local'] },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '**/.nx', '**/jest.config.cjs', 'jest.preset.js'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints,
        },
      ],
    },
  },
];
