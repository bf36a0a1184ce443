import { randomUUID } from 'node:crypto';
import { createRedisConnection, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { StreamLease } from './stream-lease';

describe('the stream lease (real Redis)', () => {
  let redis: RedisConnection;
  const key = `lease-test-${randomUUID()}:{events}:lease`;

  beforeAll(async () => {
    redis = createRedisConnection({ redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', role: 'command' });
    await waitUntilReady(redis);
  });

  afterAll(async () => {
    await redis.del(key);
    await redis.quit();
  });

  it('when two consumers campaign, then one holds the lease until it releases it or stops renewing, then the other takes it', async () => {
    const first = new StreamLease(redis, key, 300);
    const second = new StreamLease(redis, key, 300);
    expect(await first.hold()).toBe(true);
    expect(await second.hold()).toBe(false);
    expect(await first.hold()).toBe(true); // renewed
    await first.release();
    expect(await second.hold()).toBe(true);
    expect(await first.hold()).toBe(false);
    // The holder stops renewing (killed): past its term the lease is free.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await first.hold()).toBe(true);
    expect(await second.hold()).toBe(false);
  });
});
