import { randomBytes, randomUUID } from 'node:crypto';
import { type Config, loadConfig } from '@inventory/shared/config';
import { createInventoryBackends, type InventoryBackends } from '@inventory/service/bootstrap';
import { seedInventory } from '@inventory/stock/maintenance';
import { seededLedger } from '@inventory/stock/maintenance/testing';
import { ensureInventoryTable } from '@inventory/stock/inventory-table';
import { deleteKeysWithPrefix, waitUntilReady } from '@inventory/shared/redis';
import { freePort, type LocalDynamoDb, startLocalDynamoDb } from '@inventory/shared/local-services';
import { type AppChild, builtAppBundle, spawnApp } from './app-process';

export interface AppEnvironment {
  /** The environment the apps under test are started with. */
  env: Record<string, string>;
  /** `Authorization` as the environment's admin (its LOCAL_ADMIN_KEY), for requests to the apps. */
  authorization: string;
  config: Config;
  backends: InventoryBackends;
  dynamo: LocalDynamoDb;
  /** `store/sku` of every seeded item, with its seeded quantity: the ledger oracle's start. */
  seeded: Map<string, number>;
  stop: () => Promise<void>;
}

export interface AppEnvironmentOptions {
  stores: number;
  skusPerStore: number;
  /** A DynamoDB Local of its own (benchmarks, tests that stop or freeze it); else the test run's shared one. */
  ownDynamoDb?: boolean;
  /** Overrides of the apps' environment. */
  env?: Record<string, string>;
}

/**
 * What benchmarks and process-level tests run the built apps on: a DynamoDB Local with a private
 * table seeded with `stores` × `skusPerStore`, and a private Redis key prefix; all removed on stop.
 */
export async function startAppEnvironment(options: AppEnvironmentOptions): Promise<AppEnvironment> {
  const dynamo = await startLocalDynamoDb(0, '127.0.0.1', { ownProcess: options.ownDynamoDb ?? false });
  const id = randomUUID().slice(0, 8);
  const env = {
    DYNAMODB_ENDPOINT: dynamo.url,
    DYNAMODB_TABLE: `apps-${id}`,
    // A run against a Redis Cluster sets both (libs/shared/local-services/jest/redis-cluster-setup.ts).
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    MEMORYDB_MODE: process.env['MEMORYDB_MODE'] ?? 'standalone',
    REDIS_KEY_PREFIX: `apps-${id}`,
    MEMORYDB_ENDPOINT: '',
    LOG_LEVEL: process.env['BENCH_APP_LOG_LEVEL'] ?? 'info',
    LOCAL_ADMIN_KEY: `apps-admin-${randomBytes(24).toString('hex')}`,
    ...options.env,
  };
  const config = loadConfig(env);
  const backends = createInventoryBackends(config, 'app-environment');
  try {
    await waitUntilReady(backends.redis);
    await ensureInventoryTable(backends.dynamodb, config.DYNAMODB_TABLE);
    await seedInventory(backends, { stores: options.stores, skusPerStore: options.skusPerStore });
  } catch (error) {
    // Nothing left running for a failed start: an open connection or JVM would keep Jest alive.
    await backends.close();
    await dynamo.stop();
    throw error;
  }
  const seeded = seededLedger(options.stores, options.skusPerStore);
  return {
    env,
    authorization: `Bearer ${env.LOCAL_ADMIN_KEY}`,
    config,
    backends,
    dynamo,
    seeded,
    stop: async () => {
      await deleteKeysWithPrefix(backends.redis, config.REDIS_KEY_PREFIX).catch(() => undefined);
      await backends.close();
      await dynamo.stop();
    },
  };
}

export type RunningApps = Record<string, AppChild & { url: string }>;

/** The built apps named (`query-api`, …), each on a free port with the environment's settings and `extra`. */
export async function spawnBuiltApps(
  environment: AppEnvironment,
  names: string[],
  extra: Record<string, string> = {},
): Promise<RunningApps> {
  const apps: RunningApps = {};
  for (const name of names) {
    const port = await freePort();
    const child = await spawnApp(builtAppBundle(name), port, { ...environment.env, ...extra });
    apps[name] = { ...child, url: `http://127.0.0.1:${port}` };
  }
  return apps;
}

export async function stopApps(apps: RunningApps): Promise<void> {
  await Promise.all(Object.values(apps).map((app) => app.stop()));
}
