import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { operations } from '../src';

const run = promisify(execFile);
const WORKSPACE = join(__dirname, '..', '..', '..');
const GENERATED_DIR = join(__dirname, '..', 'src', 'generated');

/** The generator's check (a process of its own: openapi-typescript is an ES module Jest does not load). */
const check = (dir: string) =>
  run(
    join(WORKSPACE, 'node_modules', '.bin', 'tsx'),
    ['--tsconfig', 'tools/tsconfig.json', 'libs/client/generate/generate-client.ts', '--check', dir],
    {
      cwd: WORKSPACE,
    },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (failure: { code?: number; stdout?: string }) => ({ code: failure.code ?? 1, stdout: failure.stdout ?? '' }),
  );

/** Compile-time: holds only when `A` and `B` are the same type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type StoreReadQuery = NonNullable<operations['getStoreInventory']['parameters']['query']>;
type MovementsQuery = NonNullable<operations['listSkuMovements']['parameters']['query']>;
const numericQuery: [Same<StoreReadQuery['limit'], number | undefined>, Same<MovementsQuery['limit'], number | undefined>] = [true, true];

describe('the typed client, generated from the OpenAPI document', () => {
  it('when the document and its types are generated now, then they are byte for byte what the repository holds (else: nx run client:generate), and a file edited by hand is found', async () => {
    expect(await check(GENERATED_DIR)).toEqual({ code: 0, stdout: 'fresh\n' });
    const edited = await mkdtemp(join(tmpdir(), 'client-'));
    await cp(GENERATED_DIR, edited, { recursive: true });
    await appendFile(join(edited, 'inventory-api.ts'), '// edited\n');
    expect(await check(edited)).toEqual({ code: 1, stdout: 'stale: inventory-api.ts (run: npx nx run client:generate)\n' });
    await rm(edited, { recursive: true, force: true });
  }, 60_000);

  it("when Redocly's recommended rules lint the document, then there is no error and no warning", async () => {
    const { stdout } = await run(
      join(WORKSPACE, 'node_modules', '.bin', 'redocly'),
      ['lint', join(GENERATED_DIR, 'openapi.json'), '--config', join(WORKSPACE, 'redocly.yaml'), '--format=json'],
      { cwd: WORKSPACE, maxBuffer: 16 * 1024 * 1024 },
    ).catch((failure: { stdout?: string }) => ({ stdout: failure.stdout ?? '' }));
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; message: string }>;
    };
    expect(report.problems.map(({ ruleId, message }) => `${ruleId}: ${message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('when a caller reads the types, then the item, the movement and the error are named schemas, operations are named as methods, and numeric query parameters are numbers', async () => {
    const types = await readFile(join(GENERATED_DIR, 'inventory-api.ts'), 'utf8');
    for (const name of ['StoreItem', 'StockMovement', 'Error']) expect(types).toMatch(new RegExp(`^ {8}${name}: \\{$`, 'm'));
    for (const id of ['getStoreInventory', 'adjustStock', 'createReservation']) expect(types).toMatch(new RegExp(`^ {4}${id}: \\{$`, 'm'));
    expect(numericQuery).toEqual([true, true]);
    const document = JSON.parse(await readFile(join(GENERATED_DIR, 'openapi.json'), 'utf8'));
    const limit = document.paths['/inventory/store/{storeId}'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toEqual({ type: 'integer', minimum: 1, maximum: 1000 });
  });
});
