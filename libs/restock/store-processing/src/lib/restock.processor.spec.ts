import { randomUUID } from 'node:crypto';
import { storeIdOf } from '@inventory/domain/model';
import type { StoreInventoryRepository } from '@inventory/stock/inventory-table';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { testUpdater } from '@inventory/stock/store-update/testing';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { StormRecords } from '@inventory/restock/storm';
import { manifestRecord } from './manifest';
import { runOneStoreStorm } from './one-store-storm.testing';

const STORE_INDEX = 7;
const SKUS = 20;

describe('createRestockProcessor', () => {
  const stormPrefix = `{processor-${randomUUID().slice(0, 8)}}`;
  let env: InventoryTestEnvironment;

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(env.backends.redis, stormPrefix);
    await env.stop();
  });

  /** Runs one storm over the store as one job, its store read going through `repository`. */
  const runStorm = (repository: StoreInventoryRepository, manifestSeed: number) =>
    runOneStoreStorm(env, new StormRecords(env.backends.redis, stormPrefix), {
      storeIndex: STORE_INDEX,
      skus: SKUS,
      manifestSeed,
      repository,
    });

  it('when a live update lands between the storm reading the store and writing it, then the update is kept and the counters equal the table', async () => {
    const storeId = storeIdOf(STORE_INDEX);
    await runStorm(env.backends.repository, 1);

    const raced = manifestRecord(2, STORE_INDEX, 3, 1);
    const updater = testUpdater(env);
    const racing: StoreInventoryRepository = Object.create(env.backends.repository);
    racing.putItems = async (items, options) => {
      // A till's update, answered after the storm read the SKU and decided, before it writes over it.
      if (items.some((item) => item.sku === raced.sku)) await updater.update({ store_id: storeId, sku: raced.sku, quantity: 777_777 });
      await env.backends.repository.putItems(items, options);
    };
    expect(await runStorm(racing, 2)).toMatchObject({ skus_written: SKUS, complete: true });

    const table = new Map((await env.backends.repository.listStoreItems(storeId)).map((item) => [item.sku, item.quantity]));
    // The update came after the storm's count: the storm keeps it (libs/restock/README.md#live-changes-are-kept), though the storm's write overwrote it first.
    expect(table.get(raced.sku)).toBe(777_777);
    const history = await env.backends.history.skuMovements(storeId, raced.sku, 3);
    expect(history.movements.map((movement) => [movement.source, movement.quantity_before, movement.quantity_after])).toEqual([
      ['storm', raced.quantity, 777_777],
      ['storm', expect.any(Number), raced.quantity],
      ['api', expect.any(Number), 777_777],
    ]);
    expect(await env.backends.counters.storeQuantities(storeId)).toEqual(table);
    const units = [...table.values()].reduce((sum, quantity) => sum + quantity, 0);
    expect(await env.backends.counters.store(storeId)).toMatchObject({ units, skus: SKUS });
  });
});
