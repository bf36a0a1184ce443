/**
 * Test support, kept out of the lib's main entry point: a private table on a fresh local
 * DynamoDB-compatible server and a private key prefix on the real Redis, all removed on stop.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { type Config, loadConfig } from '@inventory/config';
import { ensureInventoryTable } from '@inventory/inventory-repository';
import { startLocalDynamoDb } from '@inventory/local-services';
import { deleteKeysWithPrefix, waitUntilReady } from '@inventory/memorydb';
import { createLogger, type Logger } from '@inventory/observability';
import { createInventoryBackends, type InventoryBackends } from './lib/inventory-backends';

export interface InventoryTestEnvironment {
  config: Config;
  backends: InventoryBackends;
  logger: Logger;
  stop: () => Promise<void>;
}

export async function startInventoryTestEnvironment(env: NodeJS.ProcessEnv = {}): Promise<InventoryTestEnvironment> {
  const dynamo = await startLocalDynamoDb();
  const id = randomUUID().slice(0, 8);
  const config = loadConfig({
    DYNAMODB_ENDPOINT: dynamo.url,
    DYNAMODB_TABLE: `inventory-test-${id}`,
    REDIS_URL: process.env['REDIS_URL'],
    REDIS_KEY_PREFIX: `test-${id}`,
    ...env,
  });
  const backends = createInventoryBackends(config, 'test');
  await ensureInventoryTable(backends.dynamodb, config.DYNAMODB_TABLE);
  await waitUntilReady(backends.redis);
  return {
    config,
    backends,
    logger: createLogger({ app: 'test', level: 'silent' }),
    stop: async () => {
      if (backends.redis.status === 'ready') await deleteKeysWithPrefix(backends.redis, config.REDIS_KEY_PREFIX);
      await backends.dynamodb.send(new DeleteTableCommand({ TableName: config.DYNAMODB_TABLE }));
      await backends.close();
      await dynamo.stop();
    },
  };
}

/** A response's JSON body, untyped as JSON is, for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function jsonOf(response: Response): Promise<any> {
  return response.json();
}
