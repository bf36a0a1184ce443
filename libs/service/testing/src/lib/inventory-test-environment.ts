/**
 * Test support, kept out of the lib's main entry point: a private table on a fresh local
 * DynamoDB-compatible server and a private key prefix on the real Redis, all removed on stop.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type Config, loadConfig } from '@inventory/shared/config';
import { deleteInventoryTables, ensureInventoryTable } from '@inventory/stock/inventory-table';
import { startLocalDynamoDb } from '@inventory/shared/local-services';
import { deleteKeysWithPrefix, waitUntilReady } from '@inventory/shared/redis';
import { createLogger, type Logger, type Metrics } from '@inventory/shared/observability';
import { createInventoryBackends, type InventoryBackends } from '@inventory/service/bootstrap';
import { createServiceMetrics } from '@inventory/service/bootstrap';

export interface InventoryTestEnvironment {
  config: Config;
  /**
   * The environment's LOCAL_ADMIN_KEY: an admin of every store, which the apps served over it
   * accept (`ServedForTest.fetch` sends it). Access control itself is shown with real keys and
   * tokens by the access-matrix suite.
   */
  adminKey: string;
  backends: InventoryBackends;
  logger: Logger;
  /** Prometheus only, unless `env` turns CloudWatch on. */
  metrics: Metrics;
  stop: () => Promise<void>;
}

export async function startInventoryTestEnvironment(
  env: NodeJS.ProcessEnv = {},
  options: {
    /**
     * A DynamoDB Local of the suite's own, for suites that write tens of thousands of items: on the
     * run's shared one, a table created after other suites filled their streams writes ~300× slower
     * (tools/benchmarks/README.md), which no AWS table does.
     */
    ownDynamoDb?: boolean;
  } = {},
): Promise<InventoryTestEnvironment> {
  const dynamo = await startLocalDynamoDb(0, '127.0.0.1', { ownProcess: options.ownDynamoDb });
  const id = randomUUID().slice(0, 8);
  const config = loadConfig({
    DYNAMODB_ENDPOINT: dynamo.url,
    DYNAMODB_TABLE: `inventory-test-${id}`,
    // A run against a Redis Cluster sets both (libs/shared/local-services/jest/redis-cluster-setup.ts).
    REDIS_URL: process.env['REDIS_URL'],
    MEMORYDB_MODE: process.env['MEMORYDB_MODE'],
    REDIS_KEY_PREFIX: `test-${id}`,
    // One JVM serves every suite of a run on a busy 2-core box: the production deadline of a few
    // seconds would fail healthy calls there. Fault tests set their own.
    DYNAMODB_TIMEOUT_MS: '15000',
    LOCAL_ADMIN_KEY: `test-admin-${randomBytes(24).toString('hex')}`,
    ...env,
  });
  const backends = createInventoryBackends(config, 'test');
  await ensureInventoryTable(backends.dynamodb, config.DYNAMODB_TABLE);
  await waitUntilReady(backends.redis);
  const logger = createLogger({ app: 'test', level: 'silent' });
  const metrics = createServiceMetrics(config, 'test', logger);
  return {
    config,
    adminKey: config.LOCAL_ADMIN_KEY ?? '',
    backends,
    logger,
    metrics,
    stop: async () => {
      if (backends.redis.status === 'ready') await deleteKeysWithPrefix(backends.redis, config.REDIS_KEY_PREFIX);
      await deleteInventoryTables(backends.dynamodb, config.DYNAMODB_TABLE);
      await backends.close();
      await metrics.close(1_000);
      await dynamo.stop();
    },
  };
}

/** A response's JSON body, untyped as JSON is, for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function jsonOf(response: Response): Promise<any> {
  return response.json();
}

/** One series' current value in a Prometheus exposition, e.g. `inventory_updates_total{app="x"}`; 0 when absent. */
export function prometheusSample(exposition: string, series: string): number {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
