import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { setQuantityInTableOnly } from '@inventory/stock/inventory-table/testing';
import { reconcileCounters } from './counter-reconciler';
import { seedInventory } from './inventory-seeder';

describe('reconcileCounters', () => {
  let env: InventoryTestEnvironment;

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    await seedInventory(env.backends, { stores: 5, skusPerStore: 50 });
  });

  afterAll(() => env.stop());

  it("when counters were kept by the platform's own writes, then there is no drift", async () => {
    await env.backends.counters.apply('store-2', [await setQuantityInTableOnly(env.backends.writes, 'store-2', 'SKU-1001', 7)]);
    const report = await reconcileCounters(env.backends, { repair: false });
    expect(report).toMatchObject({ stores_checked: 5, skus_checked: 250, stores_drifted: 0, drift: [], repaired: false });
    expect(report.totals.drifted).toBe(false);
    expect(report.totals.table).toEqual(await env.backends.counters.totals());
  });

  it("when a store's change still waits for the totals (its process died in between), then reconcile settles it once", async () => {
    const { redis, keys, counters, writes } = env.backends;
    const before = await counters.totals();
    // A value of the wrong type fails the totals step after the store's step committed.
    await redis.del(keys.totals('store-2'));
    await redis.set(keys.totals('store-2'), 'not a hash');
    const stored = await setQuantityInTableOnly(writes, 'store-2', 'SKU-1002', 9_000);
    await expect(counters.apply('store-2', [stored])).rejects.toThrow(/WRONGTYPE/);
    await redis.del(keys.totals('store-2'));
    await counters.setTotals(before);

    const report = await reconcileCounters(env.backends, { repair: true });
    expect(report).toMatchObject({ stores_drifted: 0, repaired: false });
    expect(report.totals.drifted).toBe(false);
    expect(await redis.hlen(keys.storeTotalsOutbox('store-2'))).toBe(0);
    // The store's next apply finds nothing waiting: the totals keep exactly the table's sums.
    await counters.apply('store-2', [stored]);
    expect(await counters.totals()).toEqual(report.totals.table);
  });

  it("when counters drift in every way, then each is reported, and repair makes them the table's again", async () => {
    const { redis, keys, counters, repository } = env.backends;
    const expectedTotals = await counters.totals();
    await redis.hset(keys.storeSkus('store-1'), 'SKU-1001', '1:99999');
    await redis.hdel(keys.storeSkus('store-3'), 'SKU-1002', 'SKU-1003');
    await redis.hset(keys.storeSkus('store-4'), 'SKU-GHOST', '1:5');
    await redis.hincrby(keys.storeSummary('store-5'), 'units', 1000);
    await redis.hincrby(keys.totals('store-1'), 'units', -3);
    // A store the counters never saw, and one they hold that the table does not.
    await repository.putItems([{ store_id: 'store-6', sku: 'SKU-1001', quantity: 4, updated_at: '2024-01-01T00:00:00Z', version: 1 }]);
    await counters.apply('store-ghost', [{ sku: 'SKU-1001', version: 1, quantity: 8 }]);

    const found = await reconcileCounters(env.backends, { repair: false });

    expect(found.stores_checked).toBe(7);
    expect(found.stores_drifted).toBe(6);
    expect(found.drift).toEqual([
      { store_id: 'store-1', missing: 0, extra: 0, wrong: 1, summary: false },
      { store_id: 'store-3', missing: 2, extra: 0, wrong: 0, summary: false },
      { store_id: 'store-4', missing: 0, extra: 1, wrong: 0, summary: false },
      { store_id: 'store-5', missing: 0, extra: 0, wrong: 0, summary: true },
      { store_id: 'store-6', missing: 1, extra: 0, wrong: 0, summary: true },
      { store_id: 'store-ghost', missing: 0, extra: 1, wrong: 0, summary: true },
    ]);
    expect(found.totals.drifted).toBe(true);

    const repaired = await reconcileCounters(env.backends, { repair: true });
    expect(repaired).toMatchObject({ stores_drifted: 6, repaired: true });
    const after = await reconcileCounters(env.backends, { repair: false });
    expect(after).toMatchObject({ stores_checked: 6, stores_drifted: 0, drift: [], repaired: false });
    expect(after.totals.drifted).toBe(false);
    expect(await counters.totals()).toEqual({
      ...expectedTotals,
      units: expectedTotals.units + 4,
      skus: expectedTotals.skus + 1,
      stores: 6,
    });
    expect(await counters.countedStoreIds()).not.toContain('store-ghost');
    for (const storeId of ['store-1', 'store-3', 'store-6']) {
      const table = new Map((await repository.listStoreItems(storeId)).map((item) => [item.sku, item.quantity]));
      expect(await counters.storeQuantities(storeId)).toEqual(table);
    }
  });
});
