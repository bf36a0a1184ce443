import { once } from 'node:events';
import { createLogger } from '@inventory/shared/observability';
import { createRedisConnection, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { InventoryCounters, RedisKeys } from '@inventory/stock/counters-and-cache';
import { createDynamoDbClient } from '@inventory/shared/dynamodb';
import { startDynamoDbFaultProxy, startLocalRedis } from '@inventory/shared/local-services';
import { StockWriteRepository } from '@inventory/stock/inventory-table';
import { setQuantityInTableOnly } from '@inventory/stock/inventory-table/testing';
import { startInventoryTestEnvironment, waitUntil } from '@inventory/service/testing';
import { PendingCounterApplies } from './pending-counter-applies';

describe('PendingCounterApplies', () => {
  it('when Redis is down while applies fail, then they are retried until it is back, newest state per SKU', async () => {
    let redisServer = await startLocalRedis();
    const redis: RedisConnection = createRedisConnection({ redisUrl: redisServer.url, role: 'command' });
    await waitUntilReady(redis);
    const keys = new RedisKeys('pending-test');
    const counters = new InventoryCounters(redis, keys);
    const pending = new PendingCounterApplies(counters, createLogger({ app: 'test', level: 'silent' }), undefined, 50);
    try {
      redisServer.process.kill('SIGKILL');
      await once(redisServer.process, 'exit');
      pending.add('s1', { sku: 'A', version: 2, quantity: 5 });
      pending.add('s1', { sku: 'A', version: 1, quantity: 9 });
      pending.add('s2', { sku: 'B', version: 1, quantity: 3 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pending.size).toBe(2);

      redisServer = await startLocalRedis(redisServer.port);
      await waitUntilReady(redis);
      await waitUntil('the applies retried', () => pending.size === 0, 30_000, 50);

      expect(pending.size).toBe(0);
      expect(await counters.store('s1')).toEqual({ units: 5, skus: 1, updates: 1 });
      expect(await counters.store('s2')).toEqual({ units: 3, skus: 1, updates: 1 });
      expect(Number(await redis.get(keys.readVersion('s1')))).toBeGreaterThan(1e15);
    } finally {
      redis.disconnect();
      await redisServer.stop();
    }
  });

  it('when a write of unknown outcome is noted, then the SKU is read back once the table answers, and the counters take what it holds', async () => {
    // DynamoDB Local behind a proxy that severs the endpoint: reads fail until it is restored.
    const env = await startInventoryTestEnvironment();
    const proxy = await startDynamoDbFaultProxy(env.config.DYNAMODB_ENDPOINT ?? '');
    const client = createDynamoDbClient({ region: 'us-east-1', endpoint: proxy.url, timeoutMs: 2_000, maxAttempts: 1 });
    const writesThroughProxy = new StockWriteRepository(client, env.config.DYNAMODB_TABLE, { timeoutMs: 2_000 });
    let reads = 0;
    const readBack = async (storeId: string, sku: string) => {
      reads += 1;
      const state = await writesThroughProxy.readState(storeId, sku);
      return state.version > 0 ? { sku, version: state.version, quantity: state.quantity } : undefined;
    };
    const pending = new PendingCounterApplies(env.backends.counters, env.logger, readBack, 50);
    try {
      // The write landed in the table; its writer never heard back, and the counters never had it.
      await setQuantityInTableOnly(env.backends.writes, 's3', 'C', 9);
      await proxy.sever();
      pending.addUnsure('s3', 'C');
      pending.addUnsure('s3', 'NEVER-WRITTEN');
      await waitUntil('reads failing against the severed endpoint', () => reads >= 4, 30_000, 20);
      expect(pending.size).toBe(2);

      await proxy.restore();
      await waitUntil('every unsure write read back', () => pending.size === 0, 30_000, 50);
      expect(await env.backends.counters.store('s3')).toEqual({ units: 9, skus: 1, updates: 1 });
    } finally {
      client.destroy();
      await proxy.stop();
      await env.stop();
    }
  });
});
