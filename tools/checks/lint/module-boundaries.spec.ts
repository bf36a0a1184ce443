import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readProjectGraph } from '../nx/project-graph';

const workspaceRoot = join(__dirname, '..', '..', '..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/**
 * Lints `source` as if it were the file at `filePath`, with the real ESLint CLI and the workspace's
 * root config (the CLI, because that config is an ES module Jest's sandbox cannot import).
 */
function boundaryErrors(filePath: string, source: string): string[] {
  const run = spawnSync(
    join(workspaceRoot, 'node_modules', '.bin', 'eslint'),
    ['--stdin', '--stdin-filename', join(workspaceRoot, filePath), '--format', 'json'],
    { cwd: workspaceRoot, input: source, encoding: 'utf8' },
  );
  const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries (root eslint.config.mjs)', () => {
  it('when an app imports another app, then lint fails', () => {
    const errors = boundaryErrors(
      'apps/write-api/src/sneaky.ts',
      "import { createApp } from '../../query-api/src/app';\nexport const app = createApp;\n",
    );
    expect(errors.join('\n')).toMatch(/relative or absolute path|Imports of apps are forbidden/);
  });

  it('when the domain lib imports Redis or AWS code, then lint fails', () => {
    const errors = boundaryErrors(
      'libs/domain/model/src/lib/sneaky.ts',
      "import { Redis } from 'ioredis';\nimport { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const x = [Redis, DynamoDBClient];\n",
    );
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toMatch(/ioredis/);
  });

  it('when the domain lib imports an infrastructure lib, then lint fails', () => {
    // A lib that does not itself import the domain: for one that does, lint reports the cycle first.
    const errors = boundaryErrors(
      'libs/domain/model/src/lib/sneaky.ts',
      "import { createRedisConnection } from '@inventory/shared/redis';\nexport const x = createRedisConnection;\n",
    );
    expect(errors.join('\n')).toMatch(/scope:domain/);
  });

  it('when an app imports a lib through its public alias, then lint passes', () => {
    const errors = boundaryErrors(
      'apps/query-api/src/fine.ts',
      "import { RedisKeys } from '@inventory/stock/counters-and-cache';\nexport const x = RedisKeys;\n",
    );
    expect(errors).toEqual([]);
  });

  it("when a lib's production code imports the local test servers, then lint fails", () => {
    const errors = boundaryErrors(
      'libs/stock/inventory-table/src/lib/sneaky.ts',
      "import { startLocalRedis } from '@inventory/shared/local-services';\nexport const x = startLocalRedis;\n",
    );
    expect(errors.join('\n')).toMatch(/tagged with "type:data-access" can only depend on libs tagged with/);
  });

  it.each([
    'libs/stock/inventory-table/src/testing.ts',
    'libs/stock/inventory-table/src/lib/local.testing.ts',
    'libs/stock/inventory-table/src/lib/sneaky.spec.ts',
  ])('when test code (%s) imports the local test servers, then lint passes', (file) => {
    const errors = boundaryErrors(
      file,
      "import { startLocalRedis } from '@inventory/shared/local-services';\nexport const x = startLocalRedis;\n",
    );
    expect(errors).toEqual([]);
  });
});

/** The constraint rows eslint.config.mjs exports, read by Node (the config is an ES module). */
function constraintRows(): { production: { sourceTag: string }[]; test: { sourceTag: string }[] } {
  const script =
    "import('./eslint.config.mjs').then((m) => process.stdout.write(JSON.stringify({ production: m.depConstraints, test: m.testDepConstraints })))";
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: workspaceRoot, encoding: 'utf8' }));
}

describe('project tags', () => {
  const projects = Object.values(readProjectGraph(workspaceRoot).nodes);
  const rows = constraintRows();

  it.each(projects.map((project) => [project.name, project.data.tags ?? []] as const))(
    'when %s is tagged, then it has one type: and one scope:',
    (_name, tags) => {
      expect(tags.filter((tag) => tag.startsWith('type:'))).toHaveLength(1);
      expect(tags.filter((tag) => tag.startsWith('scope:'))).toHaveLength(1);
    },
  );

  it('when a tag is in use, then production and test code each have a constraint row for it', () => {
    const used = [...new Set(projects.flatMap((project) => project.data.tags ?? []))].sort();
    expect(used.length).toBeGreaterThan(10);
    for (const set of [rows.production, rows.test]) {
      const constrained = new Set(set.map((row) => row.sourceTag));
      expect(used.filter((tag) => !constrained.has(tag))).toEqual([]);
    }
  });
});
