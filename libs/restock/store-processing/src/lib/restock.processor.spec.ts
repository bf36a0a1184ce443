import { randomUUID } from 'node:crypto';
import { storeIdOf } from '@inventory/domain/model';
import type { StoreInventoryRepository } from '@inventory/stock/table';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { testUpdater } from '@inventory/stock/store-update/testing';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { type RestockJobData, StormRecords } from '@inventory/restock/queue';
import { CpuGovernor } from '@inventory/restock/cpu-governor';
import { manifestRecord } from './manifest';
import { createRestockProcessor } from './restock.processor';

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
  async function runStorm(repository: StoreInventoryRepository, manifestSeed: number) {
    const records = new StormRecords(env.backends.redis, stormPrefix);
    const parameters = {
      duration_seconds: 60,
      target_cpu: 100,
      stores: 1,
      skus_per_store: SKUS,
      change_ratio: 1,
      manifest_seed: manifestSeed,
    };
    const started = await records.start(parameters, new Date());
    if (!('record' in started)) throw new Error(`storm ${started.runningStormId} still running`);
    const restockStore = createRestockProcessor({
      repository,
      writes: env.backends.writes,
      history: env.backends.history,
      counters: env.backends.counters,
      records,
      governor: new CpuGovernor(1),
      logger: env.logger,
      metrics: env.metrics,
      onDeadline: async () => undefined,
    });
    const job: RestockJobData = {
      storm_id: started.record.storm_id,
      store_id: storeIdOf(STORE_INDEX),
      store_index: STORE_INDEX,
      skus_per_store: SKUS,
      manifest_seed: manifestSeed,
      change_ratio: 1,
      target_cpu: 100,
      deadline_ms: Date.now() + 60_000,
      counted_at: started.record.counted_at,
    };
    return restockStore(job);
  }

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
    // The update came after the storm's count: SPEC §9 keeps it, though the storm's write overwrote it first.
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
