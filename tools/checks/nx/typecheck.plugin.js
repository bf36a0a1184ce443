// Infers a `typecheck` target (tsc --noEmit) for every project with a tsconfig.json. Nx's own
// @nx/js/typescript plugin only type-checks through `tsc --build` with project references and
// emitted declarations; this workspace resolves libs by path aliases to their sources instead.
const { dirname, join } = require('node:path');
const { existsSync } = require('node:fs');
const { createNodesFromFiles } = require('@nx/devkit');

const TSCONFIG_GLOB = '**/tsconfig.json';

function typecheckTarget(configFile, _options, context) {
  const projectRoot = dirname(configFile);
  const isProject = ['project.json', 'package.json'].some((file) => existsSync(join(context.workspaceRoot, projectRoot, file)));
  if (projectRoot === '.' || !isProject) return {};
  return {
    projects: {
      [projectRoot]: {
        targets: {
          typecheck: {
            command: `tsc -p ${configFile} --noEmit`,
            cache: true,
            inputs: ['default', '^production', { externalDependencies: ['typescript'] }],
            outputs: [],
          },
        },
      },
    },
  };
}

const createNodes = [
  TSCONFIG_GLOB,
  (configFiles, options, context) => createNodesFromFiles(typecheckTarget, configFiles, options, context),
];

module.exports = { createNodes, createNodesV2: createNodes };
