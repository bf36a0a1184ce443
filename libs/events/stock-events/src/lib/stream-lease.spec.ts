import { randomUUID } from 'node:crypto';
import { createRedisConnection, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { waitUntil } from '@inventory/service/testing';
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
    // A term no busy box outlasts between two calls: the handovers below are by release and by expiry only.
    const first = new StreamLease(redis, key, 60_000);
    const second = new StreamLease(redis, key, 60_000);
    expect(await first.hold()).toBe(true);
    expect(await second.hold()).toBe(false);
    expect(await first.hold()).toBe(true); // renewed
    expect(await redis.pttl(key)).toBeGreaterThan(30_000);
    await first.release();
    expect(await second.hold()).toBe(true);
    expect(await first.hold()).toBe(false);
    // The holder stops renewing (killed): once its term has run out in Redis, the lease is free.
    const shortTerm = new StreamLease(redis, `${key}:short`, 200);
    const standby = new StreamLease(redis, `${key}:short`, 200);
    expect(await shortTerm.hold()).toBe(true);
    await waitUntil('the unrenewed term run out', async () => (await redis.exists(`${key}:short`)) === 0, 10_000, 50);
    expect(await standby.hold()).toBe(true);
    await redis.del(`${key}:short`);
  });
});
