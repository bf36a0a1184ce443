import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { type LocalRedisCluster, startLocalRedisCluster } from '@inventory/shared/local-services';
import { InventoryCounters, SETTLED_MARK_AFTER_OUTBOX_SECONDS } from './inventory-counters';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { createRedisConnection, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { RedisKeys } from './redis-keys';
import { StoreReadCache } from './store-read-cache';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('InventoryCounters on a standalone Redis', () => {
  let redis: RedisConnection;
  let keys: RedisKeys;
  let counters: InventoryCounters;

  beforeAll(async () => {
    redis = createRedisConnection({ redisUrl: REDIS_URL, role: 'command' });
    await waitUntilReady(redis);
    keys = new RedisKeys(`test-${randomUUID()}`);
    counters = new InventoryCounters(redis, keys);
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(redis, keys.prefix);
    await redis.quit();
  });

  it('when a new SKU arrives, then store and totals count it once', async () => {
    const change = await counters.apply('s1', [{ sku: 'A', version: 1, quantity: 10 }]);
    expect(change).toEqual({ applied: 1, units: 10, skus: 1 });
    expect(await counters.store('s1')).toEqual({ units: 10, skus: 1, updates: 1 });
    expect(await counters.totals()).toEqual({ units: 10, skus: 1, updates: 1, stores: 1 });
  });

  it('when an older version arrives after a newer one, then it changes nothing', async () => {
    await counters.apply('s2', [{ sku: 'A', version: 2, quantity: 5 }]);
    const late = await counters.apply('s2', [{ sku: 'A', version: 1, quantity: 99 }]);
    expect(late.applied).toBe(0);
    expect(await counters.store('s2')).toEqual({ units: 5, skus: 1, updates: 1 });
    expect(await counters.storeQuantities('s2')).toEqual(new Map([['A', 5]]));
  });

  it('when the same version is applied twice, then the second is ignored', async () => {
    await counters.apply('s3', [{ sku: 'A', version: 1, quantity: 4 }]);
    await counters.apply('s3', [{ sku: 'A', version: 1, quantity: 4 }]);
    expect(await counters.store('s3')).toEqual({ units: 4, skus: 1, updates: 1 });
  });

  it('when a SKU changes quantity, then units move by the difference', async () => {
    await counters.apply('s4', [
      { sku: 'A', version: 1, quantity: 10 },
      { sku: 'B', version: 1, quantity: 3 },
    ]);
    await counters.apply('s4', [{ sku: 'A', version: 2, quantity: 2 }]);
    expect(await counters.store('s4')).toEqual({ units: 5, skus: 2, updates: 3 });
  });

  it('when anything is applied, then the store read version moves, even for a stale item', async () => {
    await counters.apply('s5', [{ sku: 'A', version: 1, quantity: 1 }]);
    const before = Number(await redis.get(keys.readVersion('s5')));
    await counters.apply('s5', [{ sku: 'A', version: 3, quantity: 1 }]);
    await counters.apply('s5', [{ sku: 'A', version: 2, quantity: 1 }]);
    expect(Number(await redis.get(keys.readVersion('s5')))).toBe(before + 2);
  });

  it('when Redis has lost a store read version (restarted empty), then the next one starts above any it reached before', async () => {
    const cache = new StoreReadCache(redis, keys, 60);
    await counters.apply('s6', [{ sku: 'A', version: 1, quantity: 1 }]);
    for (let i = 2; i < 50; i += 1) await counters.apply('s6', [{ sku: 'A', version: i, quantity: 1 }]);
    const reached = await cache.currentVersion('s6');
    await redis.del(keys.readVersion('s6'));

    const afterLoss = await cache.currentVersion('s6');
    await redis.del(keys.readVersion('s6'));
    await counters.apply('s6', [{ sku: 'A', version: 50, quantity: 1 }]);

    expect(afterLoss).toBeGreaterThan(reached);
    expect(Number(await redis.get(keys.readVersion('s6')))).toBeGreaterThan(reached);
    expect(Number.isSafeInteger(afterLoss)).toBe(true);
  });

  it('when a store is reset to the table, then wrong, missing and absent SKUs are fixed and the summary recomputed', async () => {
    await counters.apply('r1', [
      { sku: 'A', version: 1, quantity: 10 },
      { sku: 'B', version: 1, quantity: 3 },
      { sku: 'GONE', version: 1, quantity: 50 },
    ]);
    await redis.hset(keys.storeSkus('r1'), 'B', '1:999');
    await redis.hset(keys.storeSummary('r1'), 'units', 12345);
    const versionBefore = Number(await redis.get(keys.readVersion('r1')));

    const changed = await counters.resetStore(
      'r1',
      [
        { sku: 'A', version: 1, quantity: 10 },
        { sku: 'B', version: 1, quantity: 3 },
        { sku: 'C', version: 2, quantity: 7 },
      ],
      ['GONE'],
    );

    expect(changed).toBe(3);
    expect(await counters.storeQuantities('r1')).toEqual(
      new Map([
        ['A', 10],
        ['B', 3],
        ['C', 7],
      ]),
    );
    // `updates` counts applied changes, which the table cannot tell: it is kept.
    expect(await counters.store('r1')).toEqual({ units: 20, skus: 3, updates: 3 });
    expect(Number(await redis.get(keys.readVersion('r1')))).toBe(versionBefore + 1);
  });

  it('when an update landed after the table was read, then the reset keeps the newer state', async () => {
    await counters.apply('r2', [{ sku: 'A', version: 5, quantity: 1 }]);
    expect(await counters.resetStore('r2', [{ sku: 'A', version: 4, quantity: 9 }], [])).toBe(0);
    expect(await counters.storeItemVersions('r2')).toEqual(new Map([['A', { version: 5, quantity: 1 }]]));
  });

  it("when the totals could not take a change (a crash between the two slots), then the store's next apply adds it exactly once", async () => {
    const crashKeys = new RedisKeys(`${keys.prefix}-crash`);
    const crashCounters = new InventoryCounters(redis, crashKeys);
    // A value of the wrong type makes the totals step fail after the store's step committed.
    await redis.set(crashKeys.totals('s1'), 'not a hash');
    await expect(crashCounters.apply('s1', [{ sku: 'A', version: 1, quantity: 10 }])).rejects.toThrow(/WRONGTYPE/);
    expect(await crashCounters.store('s1')).toEqual({ units: 10, skus: 1, updates: 1 });
    const pending = await redis.hgetall(crashKeys.storeTotalsOutbox('s1'));
    expect(Object.values(pending)).toEqual(['10:1:1:1']);
    await redis.del(crashKeys.totals('s1'));

    // The retry re-applies the same version: nothing new for the store, the waiting change settles.
    expect(await crashCounters.apply('s1', [{ sku: 'A', version: 1, quantity: 10 }])).toEqual({ applied: 0, units: 0, skus: 0 });
    expect(await crashCounters.totals()).toEqual({ units: 10, skus: 1, updates: 1, stores: 1 });
    expect(await redis.hlen(crashKeys.storeTotalsOutbox('s1'))).toBe(0);

    // Killed after the totals took it but before the outbox forgot it: replaying adds nothing.
    await redis.hset(crashKeys.storeTotalsOutbox('s1'), pending);
    await crashCounters.apply('s1', [{ sku: 'B', version: 1, quantity: 5 }]);
    expect(await crashCounters.totals()).toEqual({ units: 15, skus: 2, updates: 2, stores: 1 });
    expect(await redis.hlen(crashKeys.storeTotalsOutbox('s1'))).toBe(0);
    await deleteKeysWithPrefix(redis, crashKeys.prefix);
  });

  it('when totals are set, then they read back, and every counted store is listed', async () => {
    await counters.setTotals({ units: 1, skus: 2, updates: 3, stores: 4 });
    expect(await counters.totals()).toEqual({ units: 1, skus: 2, updates: 3, stores: 4 });
    expect([...(await counters.countedStoreIds())].sort()).toEqual(['r1', 'r2', 's1', 's2', 's3', 's4', 's5', 's6']);
  });
});

describe('InventoryCounters on a Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  let redis: Cluster;

  beforeAll(async () => {
    cluster = await startLocalRedisCluster();
    redis = createRedisConnection({
      redisUrl: `redis://127.0.0.1:${cluster.nodes[0]?.port}`,
      mode: 'cluster',
      role: 'command',
    }) as Cluster;
    await waitUntilReady(redis);
  }, 60_000);

  afterAll(async () => {
    await redis.quit();
    await cluster.stop();
  });

  it('when stores hash to different nodes, then every store and the totals still add up', async () => {
    const keys = new RedisKeys('cluster');
    const counters = new InventoryCounters(redis, keys);
    const stores = Array.from({ length: 20 }, (_, i) => `store-${i}`);

    await Promise.all(stores.map((store) => counters.apply(store, [{ sku: 'A', version: 1, quantity: 7 }])));

    expect(await counters.store('store-13')).toEqual({ units: 7, skus: 1, updates: 1 });
    expect(await counters.totals()).toEqual({ units: 140, skus: 20, updates: 20, stores: 20 });
    const keysPerNode = await Promise.all(redis.nodes('master').map((node) => node.dbsize()));
    expect(keysPerNode.filter((count) => count > 0).length).toBeGreaterThan(1);
    // The totals' settle markers, one per change, are spread over several shares (slots), not one.
    const shares = new Set(stores.map((store) => keys.totals(store)));
    expect(shares.size).toBeGreaterThan(4);
    const markers = await Promise.all(
      [...shares].map(async (share) => (await Promise.all(redis.nodes('master').map((node) => node.keys(`${share}:settled:*`)))).flat()),
    );
    expect(markers.flat().length).toBe(20);
    expect(markers.every((ofShare) => ofShare.length > 0)).toBe(true);
    // Their change left the outbox: each mark lives minutes, not the week it holds while the change waits there.
    const lifetimes = await Promise.all(markers.flat().map((marker) => redis.ttl(marker)));
    expect(lifetimes.every((seconds) => seconds > 0 && seconds <= SETTLED_MARK_AFTER_OUTBOX_SECONDS)).toBe(true);
    expect(await counters.countedStoreIds()).toEqual(new Set(stores));
    await deleteKeysWithPrefix(redis, keys.prefix);
    expect(await redis.get(keys.readVersion('store-13'))).toBeNull();
  });
});
