import { AppError, baselineQuantity, skuOf, storeIdOf } from '@inventory/domain/model';
import { seedInventory } from '@inventory/stock/maintenance';
import { seededLedger } from '@inventory/stock/maintenance/testing';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { testStockWriters } from '@inventory/stock/store-update/testing';
import { testPromises } from '@inventory/stock/promises/testing';
import { StoreItems } from '@inventory/stock/store-read';
import { dispatchStorm } from '@inventory/restock/storm';
import { manifestRecord } from '@inventory/restock/store-processing';
import { waitForStorm } from '@inventory/restock/store-processing/testing';
import { type StormTestBed, startStormTestBed } from './storm-test-bed';

const STORES = 10;
const SKUS = 2_000;
/**
 * SKUs 0–99 of each store are held, in 4 reservations of 25; during the storm the first is committed
 * for SKUs 0–19 (20–24 are released with it). SKUs 100–109 are shipped to the next store, 200–299 sold at the tills.
 */
const HELD = 100;
const PER_HOLD = 25;
const COMMITTED = 20;
const SHIPPED = { from: 100, count: 10, units: 5, received: 2 };
const SOLD = { from: 200, count: 100 };

/**
 * A Restock Storm over stores with holds open, transfers in transit and tills selling
 * (apps/README.md#reservations-and-transfers): the storm counts on hand and never touches what is
 * promised, so every hold and transfer survives; commits, receipts and sales made after its count
 * are kept like any adjust; where the count is below what is reserved, reads flag the units at risk.
 */
describe('a Restock Storm while holds and transfers are open and tills sell', () => {
  let bed: StormTestBed;

  beforeAll(async () => {
    bed = await startStormTestBed('storm-promises');
  });

  afterAll(() => bed?.stop());

  it('when it ends, then every hold and transfer survives, every later sale, commit and receipt is kept, promises at risk are flagged exactly where the count is below what is reserved, and counters equal the table', async () => {
    const { env, queue, records } = bed;
    const parameters = { stores: STORES, skus_per_store: SKUS, manifest_seed: 2929, change_ratio: 0.5 };
    await seedInventory(env.backends, { stores: STORES, skusPerStore: SKUS });
    const { reservations, transfers } = testPromises(env);
    const writers = testStockWriters(env);

    // Before the storm: each store holds all of SKUs 0–99 (one reservation per 25 SKUs) and ships 5 of each of SKUs 100–109 to the next store.
    const holds: Array<{ id: string; store: number; items: Array<{ sku: string; quantity: number }> }> = [];
    const shipped: Array<{ id: string; from: number; to: number }> = [];
    for (let store = 1; store <= STORES; store += 1) {
      for (let first = 0; first < HELD; first += PER_HOLD) {
        const items = Array.from({ length: PER_HOLD }, (_, i) => ({
          sku: skuOf(first + i),
          quantity: baselineQuantity(store, first + i),
        })).filter((item) => item.quantity > 0);
        const { answer } = await reservations.create({ store_id: storeIdOf(store), items, expires_in_seconds: 3_600 });
        holds.push({ id: answer.reservation_id, store, items });
      }
      // Enough on the shelf to ship (the storm's count replaces it anyway).
      for (let i = 0; i < SHIPPED.count; i += 1)
        await writers.updater.update({ store_id: storeIdOf(store), sku: skuOf(SHIPPED.from + i), quantity: 50 });
      const to = (store % STORES) + 1;
      const items = Array.from({ length: SHIPPED.count }, (_, i) => ({ sku: skuOf(SHIPPED.from + i), quantity: SHIPPED.units }));
      const { answer } = await transfers.create({ from_store: storeIdOf(store), to_store: storeIdOf(to), items });
      shipped.push({ id: answer.transfer_id, from: store, to });
    }

    const dispatched = await dispatchStorm(queue, records, { ...parameters, duration_seconds: 600, target_cpu: 60 });
    if (!('record' in dispatched)) throw new Error('a storm was already running');
    const stormId = dispatched.record.storm_id;
    bed.startWorker();

    // After the count: tills sell SKUs 200–299, the first 20 held SKUs of each store are committed, 2 of each shipment are received.
    const sold = new Map<string, number>();
    let stormRunning = true;
    const till = async () => {
      while (stormRunning) {
        const store = 1 + Math.floor(Math.random() * STORES);
        const sku = skuOf(SOLD.from + Math.floor(Math.random() * SOLD.count));
        try {
          await writers.updater.adjust({ store_id: storeIdOf(store), sku, delta: -1, reason: 'sale' });
          sold.set(`${store}/${sku}`, (sold.get(`${store}/${sku}`) ?? 0) - 1);
        } catch (error) {
          if (!(error instanceof AppError && error.status === 409)) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const tills = Promise.all([till(), till()]);
    const committedSkus = new Set(Array.from({ length: COMMITTED }, (_, i) => skuOf(i)));
    const committed = holds.filter((hold) => hold.items.some((item) => committedSkus.has(item.sku)));
    for (const hold of committed) await reservations.commit(hold.id, { items: hold.items.filter((item) => committedSkus.has(item.sku)) });
    for (const transfer of shipped) {
      const items = Array.from({ length: SHIPPED.count }, (_, i) => ({ sku: skuOf(SHIPPED.from + i), quantity: SHIPPED.received }));
      await transfers.receive(transfer.id, items);
    }
    const done = await waitForStorm(records, stormId, (record) => record.state !== 'running', 300_000);
    stormRunning = false;
    await tills;
    expect(done).toMatchObject({ state: 'completed', stores_done: STORES, errors: 0 });
    expect(committed).toHaveLength(STORES);

    const reads = new StoreItems(env.backends.repository, env.backends.promiseRecords);
    const wrong: string[] = [];
    let atRisk = 0;
    // SKUs 0–24 were held until their commit during the storm: a store synced before it counted them if short.
    let maybeAtRiskAtSync = 0;
    for (let store = 1; store <= STORES; store += 1) {
      const storeId = storeIdOf(store);
      const items = new Map((await reads.listStoreItems(storeId)).map((item) => [item.sku, item]));
      const check = (sku: string, field: string, actual: number | undefined, expected: number) => {
        if (actual !== expected) wrong.push(`${storeId}/${sku} ${field}: ${actual}, expected ${expected}`);
      };
      for (let i = 0; i < SKUS; i += 1) {
        const sku = skuOf(i);
        const item = items.get(sku);
        const counted = manifestRecord(parameters.manifest_seed, store, i, parameters.change_ratio).quantity;
        const held = i < HELD ? baselineQuantity(store, i) : 0;
        // Committed units are sales after the count: the shelf loses them (never below 0), and they are no longer reserved.
        const sale = i < COMMITTED ? held : 0;
        const received = i >= SHIPPED.from && i < SHIPPED.from + SHIPPED.count ? SHIPPED.received : 0;
        const quantity = Math.max(0, counted - sale + received + (sold.get(`${store}/${sku}`) ?? 0));
        const reserved = i < HELD && i >= PER_HOLD ? held : 0;
        check(sku, 'quantity', item?.quantity, quantity);
        check(sku, 'reserved', item?.reserved, reserved);
        check(sku, 'incoming', item?.incoming, received ? SHIPPED.units - SHIPPED.received : 0);
        // Flagged exactly where the count (with what followed it) is below what is reserved.
        check(sku, 'promised_at_risk', item?.promised_at_risk, Math.max(0, reserved - quantity));
        if (reserved > quantity) atRisk += 1;
        if (i < PER_HOLD && held > counted) maybeAtRiskAtSync += 1;
      }
      expect(await env.backends.counters.storeQuantities(storeId)).toEqual(new Map([...items].map(([sku, item]) => [sku, item.quantity])));
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(atRisk).toBeGreaterThan(10);
    // The storm's status counts them too, as each store was synced: every SKU still at risk, and at most the committed ones besides.
    expect(done.promises_at_risk).toBeGreaterThanOrEqual(atRisk);
    expect(done.promises_at_risk).toBeLessThanOrEqual(atRisk + maybeAtRiskAtSync);
    expect(sold.size).toBeGreaterThan(20);
    // Every hold not committed is still held, as it was made; every transfer is still on the road.
    const { views } = testPromises(env);
    for (const hold of holds) {
      const view = await views.reservation(hold.id, {});
      expect(view).toMatchObject(committed.includes(hold) ? { state: 'committed' } : { state: 'held', items: hold.items });
    }
    for (const transfer of shipped) expect((await views.transfer(transfer.id, {})).state).toBe('partially_received');
    expect(await ledgerProblemsIn(env.backends, seededLedger(STORES, SKUS))).toEqual([]);
    process.stdout.write(
      `storm with promises: ${holds.length} holds, ${shipped.length} transfers, ${sold.size} SKUs sold at tills, ${atRisk} SKUs with promises at risk (the storm's status: ${done.promises_at_risk})\n`,
    );
  }, 600_000);
});
