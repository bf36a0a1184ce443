/**
 * The operators' data tools as they are run (`npm run data:*`: real processes), against a local
 * DynamoDB-compatible server and the real Redis; the storm is the built restock-worker's.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createWebhookQueue, WebhookRepository, webhookSecretBox } from '@inventory/events/webhooks';
import { ATTR } from '@inventory/stock/inventory-table';
import { testUpdater } from '@inventory/stock/store-update/testing';
import { EventDeadLetters } from '@inventory/stock/movements';
import { ApiKeyRepository } from '@inventory/service/access';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { createRestockQueue } from '@inventory/restock/queue';
import { StormRecords } from '@inventory/restock/storm';
import { seededLedger } from '@inventory/stock/maintenance/testing';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { dispatchStorm } from '@inventory/restock/storm';
import { storesDifferingFromManifest, waitForStorm } from '@inventory/restock/store-processing/testing';

const WORKSPACE = join(__dirname, '..', '..');
const TSX = join(WORKSPACE, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const WORKER_BUNDLE = join(WORKSPACE, 'dist', 'apps', 'restock-worker', 'main.js');
// Enough stores for the drift cases (store-42) and a real parallel scan; DynamoDB Local (a JVM on
// SQLite) reads and writes several times slower than the in-process server the tests used before.
const STORES = 50;
const SKUS_PER_STORE = 1_000;

interface ToolRun {
  code: number;
  report: Record<string, unknown> | undefined;
  stderr: string;
}

describe('data tools', () => {
  let env: InventoryTestEnvironment;
  const queuePrefix = `{${Math.random().toString(36).slice(2, 10)}-restock}`;

  function backendEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const { DYNAMODB_ENDPOINT, DYNAMODB_TABLE, REDIS_URL, REDIS_KEY_PREFIX } = env.config;
    // The run's shared DynamoDB Local on a busy box: the test environment's deadline, not production's.
    const DYNAMODB_TIMEOUT_MS = String(env.config.DYNAMODB_TIMEOUT_MS);
    return {
      ...process.env,
      DYNAMODB_ENDPOINT,
      DYNAMODB_TABLE,
      REDIS_URL,
      REDIS_KEY_PREFIX,
      DYNAMODB_TIMEOUT_MS,
      RESTOCK_QUEUE_PREFIX: queuePrefix,
      ...extra,
    };
  }

  async function runTool(tool: string, args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<ToolRun> {
    const run = promisify(execFile)(process.execPath, [TSX, '--tsconfig', 'tools/data/tsconfig.json', `tools/data/${tool}.ts`, ...args], {
      cwd: WORKSPACE,
      env: backendEnv(extraEnv),
      maxBuffer: 16 * 1024 * 1024,
    });
    try {
      const { stdout, stderr } = await run;
      return { code: 0, report: JSON.parse(stdout), stderr };
    } catch (failure) {
      const { code, stdout, stderr } = failure as { code: number; stdout: string; stderr: string };
      return { code, report: stdout ? JSON.parse(stdout) : undefined, stderr };
    }
  }

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(env.backends.redis, queuePrefix);
    await env.stop();
  });

  it('when the table is created with default settings, then it bills on demand, and prod settings ask for point-in-time recovery', async () => {
    const table = `${env.config.DYNAMODB_TABLE}-created`;
    const created = await runTool('create-table', [], { DYNAMODB_TABLE: table });
    expect(created).toMatchObject({ code: 0, report: { table, billing: 'PAY_PER_REQUEST', point_in_time_recovery: false } });
    const { Table } = await env.backends.dynamodb.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    // DynamoDB Local has no point-in-time recovery: with prod settings the tool must fail loudly, not skip them.
    // The platform's own prod environment, as operators run the tools with (its Secrets included).
    const prod = await runTool('create-table', [], {
      DYNAMODB_TABLE: table,
      APP_ENV: 'prod',
      WEBHOOK_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    expect(prod.code).toBe(1);
    expect(prod.stderr).toMatch(/^create-table: point-in-time recovery could not be enabled on .*-created \(.*HTTP 400/m);
  });

  it('when an admin key is created, then it is printed once, listed without its secret, and a bad role is refused by name', async () => {
    const created = await runTool('create-key', ['--name', 'first-admin', '--role', 'admin', '--stores', '*']);
    expect(created).toMatchObject({
      code: 0,
      report: { name: 'first-admin', role: 'admin', stores: '*', secret: expect.stringMatching(/^invk_[0-9a-f]{16}_/) },
    });
    const { key_id, secret } = created.report ?? {};
    const listed = await new ApiKeyRepository(env.backends.dynamodb, env.config.DYNAMODB_TABLE).list();
    expect(listed).toContainEqual(expect.objectContaining({ key_id, role: 'admin', stores: '*' }));
    expect(JSON.stringify(listed)).not.toContain(secret);
    const limited = await runTool('create-key', ['--name', 'till-3', '--role', 'till', '--stores', 'store-3,store-4']);
    expect(limited.report).toMatchObject({ stores: ['store-3', 'store-4'] });
    expect(await runTool('create-key', ['--name', 'x', '--role', 'owner', '--stores', '*'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('role must be one of'),
    });
  });

  it('when the events consumer dead-lettered a record, then the dead-letters tool lists it and exits 2; with none it exits 0', async () => {
    expect(await runTool('events-dead-letters')).toMatchObject({ code: 0, report: { dead_letters: [] } });
    const letter = {
      shard_id: 'shardId-1',
      sequence_number: '000100',
      written_at: '2026-12-06T06:00:00.000Z',
      failed_at: '2026-12-06T06:00:01.000Z',
      error: 'Unexpected token b in JSON',
      record: '{"eventName":"MODIFY"}',
    };
    await new EventDeadLetters(env.backends.dynamodb, env.config.DYNAMODB_TABLE).put(letter);
    expect(await runTool('events-dead-letters', ['--limit', '10'])).toMatchObject({ code: 2, report: { dead_letters: [letter] } });
  });

  it('when an option is malformed or unknown, then the tool stops naming it', async () => {
    expect(await runTool('seed', ['--stores', 'many'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--stores must be a whole number'),
    });
    expect(await runTool('reconcile', ['--fix'])).toMatchObject({ code: 1, stderr: expect.stringContaining("'--fix'") });
  });

  it(`when ${STORES} stores × ${SKUS_PER_STORE} SKUs are seeded, then all are in the table and the counters, and the speed is reported`, async () => {
    const seeded = await runTool('seed', ['--stores', String(STORES), '--skus-per-store', String(SKUS_PER_STORE)]);
    expect(seeded).toMatchObject({ code: 0, report: { stores: STORES, skus_per_store: SKUS_PER_STORE, items: STORES * SKUS_PER_STORE } });
    expect(seeded.report?.['items_per_second']).toBeGreaterThan(0);
    expect(seeded.stderr).toMatch(/items\/s/);
    process.stdout.write(`seed: ${JSON.stringify(seeded.report)}\n`);
    expect(await env.backends.counters.totals()).toMatchObject({ skus: STORES * SKUS_PER_STORE, stores: STORES });
    expect((await env.backends.repository.listStoreItems(`store-${STORES}`)).length).toBe(SKUS_PER_STORE);
  }, 300_000);

  it('when a storm has run, then reconcile finds no drift', async () => {
    const parameters = { stores: 10, skus_per_store: SKUS_PER_STORE, manifest_seed: 5, change_ratio: 0.3 };
    const queue = createRestockQueue(env.backends.redis, queuePrefix);
    const records = new StormRecords(env.backends.redis, queuePrefix);
    let worker: ChildProcess | undefined;
    try {
      const dispatched = await dispatchStorm(queue, records, { ...parameters, duration_seconds: 600, target_cpu: 100 });
      if (!('record' in dispatched)) throw new Error('a storm was already running');
      worker = spawn(process.execPath, [WORKER_BUNDLE], {
        env: backendEnv({ PORT: '0', MANAGEMENT_PORT: '0', LOG_LEVEL: 'warn' }),
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const done = await waitForStorm(records, dispatched.record.storm_id, (record) => record.state !== 'running', 120_000);
      expect(done).toMatchObject({ state: 'completed', errors: 0 });
      expect(done.skus_written).toBeGreaterThan(0);
      expect(await storesDifferingFromManifest(env.backends, parameters)).toEqual([]);
      // The seeded stores the storm went over: each SKU chains from its seeded quantity to what it holds.
      expect(await ledgerProblemsIn(env.backends, seededLedger(parameters.stores, SKUS_PER_STORE))).toEqual([]);
    } finally {
      worker?.kill('SIGTERM');
      if (worker) await once(worker, 'exit');
      await queue.close();
    }

    const reconciled = await runTool('reconcile');
    expect(reconciled).toMatchObject({
      code: 0,
      report: { stores_checked: STORES, skus_checked: STORES * SKUS_PER_STORE, stores_drifted: 0, drift: [], repaired: false },
    });
  }, 300_000);

  it("when drift is injected, then reconcile reports it (exit 2) and --repair restores the table's values", async () => {
    const { redis, keys, counters } = env.backends;
    await redis.hset(keys.storeSkus('store-7'), 'SKU-1001', '1:424242');
    await redis.hdel(keys.storeSkus('store-42'), 'SKU-2000');
    await redis.hincrby(keys.totals('store-1'), 'units', 17);

    const found = await runTool('reconcile');
    expect(found).toMatchObject({
      code: 2,
      report: {
        stores_drifted: 2,
        drift: [
          { store_id: 'store-42', missing: 1, extra: 0, wrong: 0, summary: false },
          { store_id: 'store-7', missing: 0, extra: 0, wrong: 1, summary: false },
        ],
        totals: { drifted: true },
      },
    });

    expect(await runTool('reconcile', ['--repair'])).toMatchObject({ code: 0, report: { stores_drifted: 2, repaired: true } });
    expect(await runTool('reconcile')).toMatchObject({ code: 0, report: { stores_drifted: 0, totals: { drifted: false } } });
    const table = new Map((await env.backends.repository.listStoreItems('store-7')).map((item) => [item.sku, item.quantity]));
    expect(await counters.storeQuantities('store-7')).toEqual(table);
  }, 300_000);

  // Last: its store would be counted by the seed and reconcile cases.
  it('when dead letters are replayed, then a record that is handled now has its effects (its delivery queued) and its letter removed; one failing again is kept with its new error, exit 2', async () => {
    const webhook = await new WebhookRepository(
      env.backends.dynamodb,
      env.config.DYNAMODB_TABLE,
      webhookSecretBox(env.config.WEBHOOK_SECRET_KEY),
    ).register({ url: 'https://receiver.example/hook', events: ['stock.movement'], secret: 'a-secret-of-some-length' });
    const { answer } = await testUpdater(env).adjust({ store_id: 'store-dl', sku: 'SKU-DL', delta: 3, reason: 'receiving' });
    const Keys = { [ATTR.storeId]: { S: 'store-dl' }, [ATTR.sku]: { S: 'SKU-DL' } };
    const { Item } = await env.backends.dynamodb.send(
      new GetItemCommand({ TableName: env.config.DYNAMODB_TABLE, Key: Keys, ConsistentRead: true }),
    );
    // The adjust's stream record as the consumer gave up on it (a webhook lookup failing, say), its cause since fixed.
    const letters = new EventDeadLetters(env.backends.dynamodb, env.config.DYNAMODB_TABLE);
    const handled = {
      shard_id: 'shardId-1',
      sequence_number: '000200',
      written_at: '2026-12-06T07:00:00.000Z',
      failed_at: '2026-12-06T07:00:01.000Z',
      error: 'ETIMEDOUT',
      record: JSON.stringify({
        eventName: 'INSERT',
        dynamodb: { Keys, NewImage: Item, SequenceNumber: '000200', ApproximateCreationDateTime: new Date() },
      }),
    };
    const poison = { ...handled, sequence_number: '000300', record: 'not json at all' };
    await letters.put(handled);
    await letters.put(poison);

    const run = await runTool('events-dead-letters', ['--replay']);
    expect(run).toMatchObject({ code: 2, report: { replayed: expect.arrayContaining(['000200']) } });
    expect(
      (run.report?.['failed'] as Array<{ sequence_number: string; error: string }>).map(({ sequence_number, error }) => [
        sequence_number,
        error,
      ]),
    ).toEqual([['000300', expect.stringMatching(/JSON/)]]);
    const queue = createWebhookQueue(env.backends.redis, queuePrefix, env.config.WEBHOOK_BACKOFF_MS);
    const job = await queue.getJob(`${webhook.webhook_id}.${answer.movement.movement_id}`);
    await queue.close();
    expect(job?.data.event).toMatchObject({ type: 'stock.movement', store_id: 'store-dl', sku: 'SKU-DL', quantity: answer.quantity });
    expect((await letters.list()).map(({ sequence_number }) => sequence_number)).toEqual(['000300']);
  });
});
