import type { Config } from '@inventory/shared/config';
import type { ReadinessCheck } from '@inventory/shared/http-server';
import { openStockTables, type StockTables } from '@inventory/stock/inventory-table';
import { closeConnection, createRedisConnection, type RedisConnection, type RedisConnectionOptions } from '@inventory/shared/redis';
import { InventoryCounters, RedisKeys, StoreReadCache } from '@inventory/stock/counters-and-cache';

export interface InventoryBackends extends Omit<StockTables, 'timeoutMs'> {
  /** Every DynamoDB call's deadline, retries included (DYNAMODB_TIMEOUT_MS): what each repository here was given. */
  dynamodbTimeoutMs: number;
  redis: RedisConnection;
  keys: RedisKeys;
  cache: StoreReadCache;
  counters: InventoryCounters;
  readinessChecks: ReadinessCheck[];
  close: () => Promise<void>;
}

/** A Redis connection as configured (MemoryDB cluster or a local Redis), for one role. */
export function connectRedis(config: Config, role: RedisConnectionOptions['role'], connectionName: string): RedisConnection {
  return createRedisConnection({
    memorydbEndpoint: config.MEMORYDB_ENDPOINT,
    mode: config.MEMORYDB_MODE,
    redisUrl: config.REDIS_URL,
    role,
    connectionName,
    credentials:
      config.REDIS_USERNAME !== undefined && config.REDIS_PASSWORD !== undefined
        ? { username: config.REDIS_USERNAME, password: config.REDIS_PASSWORD }
        : undefined,
  });
}

/**
 * The clients both APIs use, built from configuration. Neither store is critical for readiness
 * (k8s/README.md#readiness): without Redis reads and writes go to DynamoDB; without DynamoDB
 * query-api answers what its cache holds and write-api answers 503 with Retry-After, and failing
 * every pod's probe at once would leave the Ingress nothing to send even those to. A pod neither
 * answers is not ready.
 */
export function createInventoryBackends(config: Config, connectionName: string): InventoryBackends {
  const { timeoutMs, ...tables } = openStockTables(
    {
      region: config.AWS_REGION,
      endpoint: config.DYNAMODB_ENDPOINT,
      timeoutMs: config.DYNAMODB_TIMEOUT_MS,
      maxAttempts: config.DYNAMODB_MAX_ATTEMPTS,
    },
    config.DYNAMODB_TABLE,
  );
  const { dynamodb, repository } = tables;
  const redis = connectRedis(config, 'command', connectionName);
  const keys = new RedisKeys(config.REDIS_KEY_PREFIX);
  return {
    ...tables,
    dynamodbTimeoutMs: timeoutMs,
    redis,
    keys,
    cache: new StoreReadCache(redis, keys, config.CACHE_TTL_SECONDS),
    counters: new InventoryCounters(redis, keys, config.DELTA_LOG_MAX_SKUS),
    readinessChecks: [
      { name: 'dynamodb', critical: false, check: () => repository.checkReachable() },
      { name: 'memorydb', critical: false, check: () => redis.ping() },
    ],
    close: async () => {
      await closeConnection(redis);
      dynamodb.destroy();
    },
  };
}
