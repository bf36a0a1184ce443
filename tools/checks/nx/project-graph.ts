import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProjectNode {
  name: string;
  data: { root: string; tags?: string[]; targets?: Record<string, unknown> };
}

export interface ProjectGraph {
  nodes: Record<string, ProjectNode>;
  dependencies: Record<string, { source: string; target: string; type: string }[]>;
}

/**
 * The workspace's project graph as `nx graph --file` writes it: every project with its inferred
 * targets and tags, and who depends on whom (read by Nx from the sources' imports).
 */
export function readProjectGraph(workspace: string): ProjectGraph {
  const dir = mkdtempSync(join(tmpdir(), 'graph-'));
  try {
    const file = join(dir, 'graph.json');
    execFileSync(process.execPath, [join(workspace, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'graph', `--file=${file}`], {
      cwd: workspace,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_ISOLATE_PLUGINS: 'false' },
      stdio: 'pipe',
    });
    return (JSON.parse(readFileSync(file, 'utf8')) as { graph: ProjectGraph }).graph;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
