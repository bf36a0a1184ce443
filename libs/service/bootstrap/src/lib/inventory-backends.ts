import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '@inventory/shared/config';
import type { ReadinessCheck } from '@inventory/shared/http-server';
import { createDynamoDbClient } from '@inventory/shared/dynamodb';
import { MovementHistoryRepository } from '@inventory/stock/movements';
import { IdempotencyRecords } from '@inventory/stock/idempotency';
import { StockWriteRepository, StoreInventoryRepository } from '@inventory/stock/inventory-table';
import { closeConnection, createRedisConnection, type RedisConnection, type RedisConnectionOptions } from '@inventory/shared/redis';
import { InventoryCounters, RedisKeys, StoreReadCache } from '@inventory/stock/counters-and-cache';

export interface InventoryBackends {
  dynamodb: DynamoDBClient;
  repository: StoreInventoryRepository;
  /** Stock writes as movements, with their idempotency records. */
  writes: StockWriteRepository;
  history: MovementHistoryRepository;
  idempotencyRecords: IdempotencyRecords;
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
  });
}

/**
 * The clients both APIs use, built from configuration. Redis is not critical for readiness: reads
 * and writes still work from DynamoDB without it, and failing every pod's probe at once would
 * turn a cache outage into a full one.
 */
export function createInventoryBackends(config: Config, connectionName: string): InventoryBackends {
  const dynamodb = createDynamoDbClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    timeoutMs: config.DYNAMODB_TIMEOUT_MS,
    maxAttempts: config.DYNAMODB_MAX_ATTEMPTS,
  });
  const tableOptions = { timeoutMs: config.DYNAMODB_TIMEOUT_MS };
  const repository = new StoreInventoryRepository(dynamodb, config.DYNAMODB_TABLE, tableOptions);
  const redis = connectRedis(config, 'command', connectionName);
  const keys = new RedisKeys(config.REDIS_KEY_PREFIX);
  return {
    dynamodb,
    repository,
    writes: new StockWriteRepository(dynamodb, config.DYNAMODB_TABLE, tableOptions),
    history: new MovementHistoryRepository(dynamodb, config.DYNAMODB_TABLE, tableOptions),
    idempotencyRecords: new IdempotencyRecords(dynamodb, config.DYNAMODB_TABLE, tableOptions),
    dynamodbTimeoutMs: config.DYNAMODB_TIMEOUT_MS,
    redis,
    keys,
    cache: new StoreReadCache(redis, keys, config.CACHE_TTL_SECONDS),
    counters: new InventoryCounters(redis, keys, config.DELTA_LOG_MAX_SKUS),
    readinessChecks: [
      { name: 'dynamodb', critical: true, check: () => repository.checkReachable() },
      { name: 'memorydb', critical: false, check: () => redis.ping() },
    ],
    close: async () => {
      await closeConnection(redis);
      dynamodb.destroy();
    },
  };
}
