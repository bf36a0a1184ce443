import { randomUUID } from 'node:crypto';
import { createRedisConnection, deleteKeysWithPrefix, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { restockWaitListKey } from './restock-queue.contract';
import { createRestockQueue } from './restock-queue';

describe('restockWaitListKey', () => {
  const prefix = `{wait-test-${randomUUID().slice(0, 8)}}`;
  let redis: RedisConnection;

  beforeAll(async () => {
    redis = createRedisConnection({ redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', role: 'command' });
    await waitUntilReady(redis);
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it('when jobs wait in the queue, then BullMQ really keeps them in the Redis list the autoscaler watches', async () => {
    const queue = createRestockQueue(redis, prefix);
    await queue.addBulk(Array.from({ length: 3 }, (_, i) => ({ name: 'restock-store', data: {} as never, opts: { jobId: `job-${i}` } })));
    expect(await redis.type(restockWaitListKey(prefix))).toBe('list');
    expect(await redis.llen(restockWaitListKey(prefix))).toBe(3);
    await queue.close();
  });
});
