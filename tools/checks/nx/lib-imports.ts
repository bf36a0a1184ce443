import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The lib folders `files` import through `@inventory/…` aliases (e.g. `@inventory/stock/inventory-table/testing`
 * → `libs/stock/inventory-table`), read from the sources and tsconfig.base.json's paths, independently of Nx.
 */
export function importedLibFolders(workspace: string, files: string[]): Set<string> {
  const aliases = (
    JSON.parse(readFileSync(join(workspace, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } }
  ).compilerOptions.paths;
  const folders = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/from '(@inventory\/[\w/-]+)'/g)) {
      folders.add(aliases[match[1]][0].replace(/^\.\//, '').replace(/\/src\/.*$/, ''));
    }
  }
  return folders;
}
