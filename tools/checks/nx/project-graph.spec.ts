import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { importedLibFolders } from './lib-imports';
import { readProjectGraph } from './project-graph';

const WORKSPACE = join(__dirname, '..', '..', '..');
/** Test code: specs, a lib's `testing.ts` entry, `*.testing.ts` helpers (as eslint.config.mjs's TEST_FILES). */
const TEST_FILE = /(\.spec\.ts|\/testing\.ts|\.testing\.ts)$/;

const graph = readProjectGraph(WORKSPACE);
const projectAt = new Map(Object.values(graph.nodes).map((node) => [node.data.root, node.name]));
const isLib = (name: string) => graph.nodes[name]?.data.root.startsWith('libs/') ?? false;
const isTestSupport = (name: string) => graph.nodes[name].data.tags?.includes('type:testing') ?? false;
const libs = Object.keys(graph.nodes).filter(isLib);

/** The libs a project's files import, read from its sources: for production files, or for all. */
function importsOf(project: string, files: 'production' | 'all'): Set<string> {
  const root = join(WORKSPACE, graph.nodes[project].data.root);
  const sources = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => files === 'all' || !TEST_FILE.test(file));
  return new Set([...importedLibFolders(WORKSPACE, sources)].map((folder) => projectAt.get(folder) as string));
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
