import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readProjectGraph } from './project-graph';

const WORKSPACE = join(__dirname, '..', '..', '..');
const ALIASES = (
  JSON.parse(readFileSync(join(WORKSPACE, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } }
).compilerOptions.paths;
/** Test code: specs, a lib's `testing.ts` entry, `*.testing.ts` helpers (as eslint.config.mjs's TEST_FILES). */
const TEST_FILE = /(\.spec\.ts|\/testing\.ts|\.testing\.ts)$/;

const graph = readProjectGraph(WORKSPACE);
const projectAt = new Map(Object.values(graph.nodes).map((node) => [node.data.root, node.name]));
const isLib = (name: string) => graph.nodes[name]?.data.root.startsWith('libs/') ?? false;
const isTestSupport = (name: string) => graph.nodes[name].data.tags?.includes('type:testing') ?? false;
const libs = Object.keys(graph.nodes).filter(isLib);

/** The project an import alias belongs to, e.g. `@inventory/stock/table/testing` → `stock-table`. */
function projectOfAlias(alias: string): string {
  return projectAt.get(ALIASES[alias][0].replace(/^\.\//, '').replace(/\/src\/.*$/, '')) as string;
}

/** The libs a project's files import, read from its sources: for production files, or for all. */
function importsOf(project: string, files: 'production' | 'all'): Set<string> {
  const root = join(WORKSPACE, graph.nodes[project].data.root);
  const imported = new Set<string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !file.endsWith('.ts') || (files === 'production' && TEST_FILE.test(file))) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/from '(@inventory\/[\w/-]+)'/g)) imported.add(projectOfAlias(match[1]));
  }
  return imported;
}

const graphLibDependencies = (project: string) => new Set(graph.dependencies[project].map((edge) => edge.target).filter(isLib));

describe('the project graph (nx graph)', () => {
  it('when the graph is read, then its lib dependencies are exactly the libs the sources import', () => {
    expect(libs.length).toBeGreaterThanOrEqual(15);
    for (const lib of libs)
      expect({ lib, imports: [...graphLibDependencies(lib)].sort() }).toEqual({ lib, imports: [...importsOf(lib, 'all')].sort() });
  });

  it("when a lib's production code is read, then it imports fewer than seven other libs", () => {
    const wide = libs.map((lib) => ({ lib, imports: importsOf(lib, 'production').size })).filter(({ imports }) => imports >= 7);
    expect(wide).toEqual([]);
  });

  it('when a production lib depends on the local test servers, then only its test code imports them', () => {
    const importers = libs.filter((lib) => !isTestSupport(lib) && graphLibDependencies(lib).has('shared-local-services'));
    // The check must look at something: libs whose specs start real servers do depend on them.
    expect(importers.length).toBeGreaterThan(0);
    for (const lib of importers)
      expect({ lib, production: importsOf(lib, 'production').has('shared-local-services') }).toEqual({ lib, production: false });
  });
});
