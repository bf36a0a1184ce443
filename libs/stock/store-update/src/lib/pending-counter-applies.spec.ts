import { once } from 'node:events';
import { startLocalRedis } from '@inventory/shared/local-services';
import { createLogger } from '@inventory/shared/observability';
import { createRedisConnection, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { InventoryCounters, RedisKeys } from '@inventory/stock/counters-and-cache';
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
      for (let i = 0; i < 100 && pending.size > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));

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
    const redisServer = await startLocalRedis();
    const redis: RedisConnection = createRedisConnection({ redisUrl: redisServer.url, role: 'command' });
    await waitUntilReady(redis);
    const counters = new InventoryCounters(redis, new RedisKeys('unsure-test'));
    let reads = 0;
    const readBack = async (_storeId: string, sku: string) => {
      reads += 1;
      if (reads < 3) throw new Error('DynamoDB is unavailable');
      return sku === 'C' ? { sku, version: 4, quantity: 9 } : undefined;
    };
    const pending = new PendingCounterApplies(counters, createLogger({ app: 'test', level: 'silent' }), readBack, 50);
    try {
      pending.addUnsure('s3', 'C');
      pending.addUnsure('s3', 'NEVER-WRITTEN');
      for (let i = 0; i < 100 && pending.size > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));

      expect(pending.size).toBe(0);
      expect(reads).toBeGreaterThanOrEqual(4);
      expect(await counters.store('s3')).toEqual({ units: 9, skus: 1, updates: 1 });
    } finally {
      redis.disconnect();
      await redisServer.stop();
    }
  });
});
