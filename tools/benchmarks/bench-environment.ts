import { randomUUID } from 'node:crypto';
import { type Config, loadConfig } from '@inventory/shared/config';
import { createInventoryBackends, type InventoryBackends } from '@inventory/service/bootstrap';
import { seedInventory } from '@inventory/stock/maintenance';
import { ensureInventoryTable } from '@inventory/stock/table';
import { deleteKeysWithPrefix, waitUntilReady } from '@inventory/shared/redis';
import { startLocalDynamoDb } from '@inventory/shared/local-services';

export interface BenchEnvironment {
  /** The environment the apps under test are started with. */
  env: Record<string, string>;
  config: Config;
  backends: InventoryBackends;
  stop: () => Promise<void>;
}

/** A DynamoDB Local process of its own with a private table seeded with `stores` × `skusPerStore`, and a private Redis prefix. */
export async function startBenchEnvironment(stores: number, skusPerStore: number): Promise<BenchEnvironment> {
  const dynamo = await startLocalDynamoDb(0, '127.0.0.1', { ownProcess: true });
  const id = randomUUID().slice(0, 8);
  const env = {
    DYNAMODB_ENDPOINT: dynamo.url,
    DYNAMODB_TABLE: `bench-${id}`,
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `bench-${id}`,
    MEMORYDB_ENDPOINT: '',
    LOG_LEVEL: process.env['BENCH_APP_LOG_LEVEL'] ?? 'info',
  };
  const config = loadConfig(env);
  const backends = createInventoryBackends(config, 'bench');
  await waitUntilReady(backends.redis);
  await ensureInventoryTable(backends.dynamodb, config.DYNAMODB_TABLE);
  await seedInventory(backends, { stores, skusPerStore });
  return {
    env,
    config,
    backends,
    stop: async () => {
      await deleteKeysWithPrefix(backends.redis, config.REDIS_KEY_PREFIX);
      await backends.close();
      await dynamo.stop();
    },
  };
}
