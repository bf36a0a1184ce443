import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '..', '..');

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
      'libs/domain/src/lib/sneaky.ts',
      "import { Redis } from 'ioredis';\nimport { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const x = [Redis, DynamoDBClient];\n",
    );
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toMatch(/ioredis/);
  });

  it('when the domain lib imports an infrastructure lib, then lint fails', () => {
    const errors = boundaryErrors(
      'libs/domain/src/lib/sneaky.ts',
      "import { RedisKeys } from '@inventory/memorydb';\nexport const x = RedisKeys;\n",
    );
    expect(errors.join('\n')).toMatch(/scope:domain/);
  });

  it('when an app imports a lib through its public alias, then lint passes', () => {
    const errors = boundaryErrors(
      'apps/query-api/src/fine.ts',
      "import { RedisKeys } from '@inventory/memorydb';\nexport const x = RedisKeys;\n",
    );
    expect(errors).toEqual([]);
  });
});
