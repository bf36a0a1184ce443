import { randomUUID } from 'node:crypto';
import { storeIdOf } from '@inventory/domain/model';
import type { StoreInventoryRepository } from '@inventory/stock/inventory-table';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { testUpdater } from '@inventory/stock/store-update/testing';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
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
  const runStorm = (repository: StoreInventoryRepository, manifestSeed: number, countedAt?: Date) =>
    runOneStoreStorm(env, new StormRecords(env.backends.redis, stormPrefix), {
      storeIndex: STORE_INDEX,
      skus: SKUS,
      manifestSeed,
      repository,
      countedAt,
    });

  /** A repository whose store write first lets a till update `sku` to `quantity`: after the storm read the SKU and decided. */
  function racingUpdate(sku: string, quantity: number): StoreInventoryRepository {
    const updater = testUpdater(env);
    const racing: StoreInventoryRepository = Object.create(env.backends.repository);
    racing.putItems = async (items, options) => {
      if (items.some((item) => item.sku === sku)) await updater.update({ store_id: storeIdOf(STORE_INDEX), sku, quantity });
      await env.backends.repository.putItems(items, options);
    };
    return racing;
  }

  it('when a live update lands between the storm reading the store and writing it, then the update is kept and the counters equal the table', async () => {
    const storeId = storeIdOf(STORE_INDEX);
    await runStorm(env.backends.repository, 1);

    const raced = manifestRecord(2, STORE_INDEX, 3, 1);
    expect(await runStorm(racingUpdate(raced.sku, 777_777), 2)).toMatchObject({ skus_written: SKUS, complete: true });

    const table = new Map((await env.backends.repository.listStoreItems(storeId)).map((item) => [item.sku, item.quantity]));
    // The update came after the storm's count: the storm keeps it (libs/restock/README.md#live-changes-are-kept), though the storm's write overwrote it first.
    expect(table.get(raced.sku)).toBe(777_777);
    // Newest first: the correction putting the update back, the storm's write from the update it
    // replaced (not from the storm-1 count it read), the update over storm 1's count.
    const firstCount = manifestRecord(1, STORE_INDEX, 3, 1).quantity;
    const history = await env.backends.history.skuMovements(storeId, raced.sku, 3);
    expect(history.movements.map((movement) => [movement.source, movement.quantity_before, movement.quantity_after])).toEqual([
      ['storm', raced.quantity, 777_777],
      ['storm', 777_777, raced.quantity],
      ['api', firstCount, 777_777],
    ]);
    // Every SKU of the store was created by storm 1 from nothing, and chains from there.
    const skus = new Map(Array.from({ length: SKUS }, (_, i) => [`${storeId}/${manifestRecord(1, STORE_INDEX, i, 1).sku}`, 0]));
    expect(await ledgerProblemsIn(env.backends, skus)).toEqual([]);
    expect(await env.backends.counters.storeQuantities(storeId)).toEqual(table);
    const units = [...table.values()].reduce((sum, quantity) => sum + quantity, 0);
    expect(await env.backends.counters.store(storeId)).toMatchObject({ units, skus: SKUS });
  });

  it("when an update dated before the count lands after the storm read its SKU, then the manifest wins and the storm's movement starts from the update", async () => {
    const storeId = storeIdOf(STORE_INDEX);
    await runStorm(env.backends.repository, 3);

    // Counted a second from now: the update is dated before the count (the manifest counts it),
    // yet commits between the storm's read and its write, so the write replaces it.
    const raced = manifestRecord(4, STORE_INDEX, 5, 1);
    const countedAt = new Date(Date.now() + 1_000);
    expect(await runStorm(racingUpdate(raced.sku, 555_555), 4, countedAt)).toMatchObject({ complete: true });

    expect((await env.backends.repository.listStoreItems(storeId)).find((item) => item.sku === raced.sku)?.quantity).toBe(raced.quantity);
    const history = await env.backends.history.skuMovements(storeId, raced.sku, 2);
    expect(history.movements.map((movement) => [movement.source, movement.quantity_before, movement.quantity_after])).toEqual([
      ['storm', 555_555, raced.quantity],
      ['api', manifestRecord(3, STORE_INDEX, 5, 1).quantity, 555_555],
    ]);
    const skus = new Map(Array.from({ length: SKUS }, (_, i) => [`${storeId}/${manifestRecord(1, STORE_INDEX, i, 1).sku}`, 0]));
    expect(await ledgerProblemsIn(env.backends, skus)).toEqual([]);
  });
});
