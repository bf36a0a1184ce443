import { randomUUID } from 'node:crypto';
import { createRedisConnection, deleteKeysWithPrefix, type RedisConnection, scanKeys, waitUntilReady } from '@inventory/shared/redis';
import { InventoryCounters } from './inventory-counters';
import { RedisKeys } from './redis-keys';
import { StoreReadCache } from './store-read-cache';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a store's read version and change log (delta reads) on a real Redis", () => {
  let redis: RedisConnection;
  let keys: RedisKeys;
  let counters: InventoryCounters;
  let cache: StoreReadCache;
  /** A read cache living 1 s: what reads start lapses with it (read-version.ts), seen within the test. */
  let shortLived: StoreReadCache;

  beforeAll(async () => {
    redis = createRedisConnection({ redisUrl: REDIS_URL, role: 'command' });
    await waitUntilReady(redis);
    keys = new RedisKeys(`test-${randomUUID()}`);
    // A log of 5 SKUs, to see it trimmed.
    counters = new InventoryCounters(redis, keys, 5);
    cache = new StoreReadCache(redis, keys, 60);
    shortLived = new StoreReadCache(redis, keys, 1);
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(redis, keys.prefix);
    await redis.quit();
  });

  it('when SKUs change after a version, then exactly they are named since it, each once, whatever how often', async () => {
    await counters.apply('s1', [{ sku: 'A', version: 1, quantity: 1 }]);
    const from = await cache.currentVersion('s1');
    await counters.apply('s1', [{ sku: 'B', version: 1, quantity: 1 }]);
    await counters.apply('s1', [
      { sku: 'C', version: 1, quantity: 1 },
      { sku: 'B', version: 2, quantity: 2 },
    ]);
    // Already applied: no change, so nothing new in the log.
    await counters.apply('s1', [{ sku: 'A', version: 1, quantity: 1 }]);

    const since = await cache.changesSince('s1', from);
    expect(since).toEqual({ version: await cache.currentVersion('s1'), skus: ['B', 'C'] });
    expect(await cache.changesSince('s1', since.version)).toEqual({ version: since.version, skus: [] });
  });

  it('when the log outgrows its limit, then versions before the newest dropped answer expired, later ones still exactly', async () => {
    const from = await cache.currentVersion('s2');
    await counters.apply('s2', [{ sku: 'A', version: 1, quantity: 1 }]);
    for (const sku of ['B', 'C', 'D', 'E', 'F']) await counters.apply('s2', [{ sku, version: 1, quantity: 1 }]);

    expect(await cache.changesSince('s2', from)).toMatchObject({ expired: true });
    const current = await cache.currentVersion('s2');
    expect(await cache.changesSince('s2', current - 4)).toEqual({ version: current, skus: ['C', 'D', 'E', 'F'] });
    expect(await cache.changesSince('s2', current + 1)).toMatchObject({ expired: true });
  });

  it('when a store has no log yet, then only its current version answers (nothing changed), any other is expired', async () => {
    const current = await cache.currentVersion('s3');
    expect(await cache.changesSince('s3', current)).toEqual({ version: current, skus: [] });
    expect(await cache.changesSince('s3', current - 1)).toMatchObject({ expired: true });
  });

  it("when reconcile resets a store's counters, then the SKUs it changed are in the log", async () => {
    await counters.apply('s4', [{ sku: 'A', version: 1, quantity: 1 }]);
    const from = await cache.currentVersion('s4');
    await counters.resetStore('s4', [{ sku: 'A', version: 3, quantity: 7 }], []);
    expect(await cache.changesSince('s4', from)).toEqual({ version: await cache.currentVersion('s4'), skus: ['A'] });
  });

  const keysLeft = async () => {
    const found: string[] = [];
    for await (const batch of scanKeys(redis, `${keys.prefix}:{junk-*`)) found.push(...batch);
    return found;
  };

  it('when 10,000 unknown stores are read with a 1 s cache (full and delta reads), then every key they started lapses with the cache, leaving none', async () => {
    for (let from = 0; from < 10_000; from += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          (from + i) % 2 ? shortLived.currentVersion(`junk-${from + i}`) : shortLived.changesSince(`junk-${from + i}`, 1),
        ),
      );
    }
    // The first ones may have lapsed already; every one still there is on its way out (-2: just gone).
    const started = await keysLeft();
    expect(started.length).toBeGreaterThan(0);
    const lifetimes = await Promise.all(started.map((key) => redis.pttl(key)));
    expect(lifetimes.filter((ms) => ms === -1 || ms > 1_000)).toEqual([]);
    await sleep(1_500);
    expect(await keysLeft()).toEqual([]);
  });

  it('when a read-started store changes, then its version lasts; and a lapsed one starts again above the old', async () => {
    const lapsing = await shortLived.currentVersion('lapses');
    await sleep(1_500);
    const again = await shortLived.currentVersion('lapses');
    expect(again).toBeGreaterThan(lapsing);

    const read = await shortLived.currentVersion('changes');
    await counters.apply('changes', [{ sku: 'A', version: 1, quantity: 1 }]);
    expect(await redis.ttl(keys.readVersion('changes'))).toBe(-1);
    expect(await shortLived.currentVersion('changes')).toBe(read + 1);
    await sleep(1_500);
    expect(await shortLived.currentVersion('changes')).toBe(read + 1);
  });
});
