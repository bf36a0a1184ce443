/**
 * What `nx affected -t build` (and so CI's build and deploy) picks for a change, run on scratch
 * commits in a copy of this workspace, against who-imports-whom read independently from the sources.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { importedLibFolders } from '../nx/lib-imports';

const WORKSPACE = join(__dirname, '..', '..', '..');
const APPS = ['query-api', 'write-api', 'restock-worker'];
const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The libs (by folder) a project's sources import (specs included: a lib change must re-run their tests). */
function importedLibs(projectDir: string): Set<string> {
  return importedLibFolders(WORKSPACE, sourcesUnder(join(WORKSPACE, projectDir)));
}

/** The apps that import the lib in folder `lib`, directly or through other libs. */
function appsImporting(lib: string): string[] {
  return APPS.filter((app) => {
    const seen = new Set<string>();
    const pending = [...importedLibs(`apps/${app}`)];
    while (pending.length > 0) {
      const next = pending.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      pending.push(...importedLibs(next));
    }
    return seen.has(lib);
  });
}

describe('nx affected on a scratch commit', () => {
  let scratch: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.invalid', ...args], { cwd: scratch, stdio: 'pipe' });

  /** Commits a one-line change to `file` and lists the projects nx affected would run `target` of for that commit. */
  function affectedAfterChanging(file: string, target = 'build'): string[] {
    appendFileSync(join(scratch, file), file.endsWith('.ts') ? '\n// scratch change\n' : '\n# scratch change\n');
    git('commit', '-qam', `change ${file}`);
    const out = execFileSync(
      process.execPath,
      [
        join(scratch, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'),
        'show',
        'projects',
        '--affected',
        '-t',
        target,
        '--base=HEAD~1',
        '--head=HEAD',
        '--json',
      ],
      {
        cwd: scratch,
        env: NX_ENV,
      },
    );
    return (JSON.parse(out.toString()) as string[]).sort();
  }

  beforeAll(() => {
    // The working tree as it is (committed or not), as the first commit of a throwaway repository.
    scratch = mkdtempSync(join(tmpdir(), 'affected-'));
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: WORKSPACE })
      .toString()
      .split('\0');
    for (const file of files.filter((name) => name && existsSync(join(WORKSPACE, name)))) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      copyFileSync(join(WORKSPACE, file), join(scratch, file));
    }
    symlinkSync(join(WORKSPACE, 'node_modules'), join(scratch, 'node_modules'));
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'base');
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('when one lib changes, then exactly the apps importing it are built', () => {
    const importers = appsImporting('libs/restock/store-processing');
    // Not every app: the check below could not tell "affected" from "everything".
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.length).toBeLessThan(APPS.length);
    expect(affectedAfterChanging('libs/restock/store-processing/src/lib/restock.processor.ts')).toEqual(importers.sort());
  });

  it('when the domain lib changes, then every app is built', () => {
    expect(appsImporting('libs/domain/model')).toEqual(APPS);
    expect(affectedAfterChanging('libs/domain/model/src/index.ts')).toEqual([...APPS].sort());
  });

  it('when only one app changes, then only that app is built', () => {
    expect(affectedAfterChanging('apps/query-api/src/app.ts')).toEqual(['query-api']);
  });

  it("when only one app's manifests change, then only that app is built and redeployed", () => {
    expect(affectedAfterChanging('k8s/write-api/deployment.yaml')).toEqual(['write-api']);
  });

  it('when only the data tools change, then nx affected tests no app and no other tool', () => {
    expect(affectedAfterChanging('tools/data/seed.ts', 'test')).toEqual(['data-tools']);
  });
});
