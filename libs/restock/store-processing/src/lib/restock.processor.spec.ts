import { randomUUID } from 'node:crypto';
import { storeIdOf } from '@inventory/domain/model';
import type { StoreInventoryRepository } from '@inventory/stock/table';
import { type InventoryTestEnvironment, startInventoryTestEnvironment, testUpdater } from '@inventory/service/testing';
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
    };
    return restockStore(job);
  }

  it('when a live update lands between the storm reading the store and writing it, then the counters still equal the table', async () => {
    const storeId = storeIdOf(STORE_INDEX);
    await runStorm(env.backends.repository, 1);

    const raced = manifestRecord(2, STORE_INDEX, 3, 1);
    const updater = testUpdater(env);
    const racing: StoreInventoryRepository = Object.create(env.backends.repository);
    racing.restockStatePages = async function* (id, pageSize) {
      for await (const page of env.backends.repository.restockStatePages(id, pageSize)) {
        // A till's update, answered after the storm read the SKU and before it writes over it.
        if (page.some(([sku]) => sku === raced.sku)) await updater.update({ store_id: id, sku: raced.sku, quantity: 777_777 });
        yield page;
      }
    };
    expect(await runStorm(racing, 2)).toMatchObject({ skus_written: SKUS, complete: true });

    const table = new Map((await env.backends.repository.listStoreItems(storeId)).map((item) => [item.sku, item.quantity]));
    expect(table.get(raced.sku)).toBe(raced.quantity);
    expect(await env.backends.counters.storeQuantities(storeId)).toEqual(table);
    const units = [...table.values()].reduce((sum, quantity) => sum + quantity, 0);
    expect(await env.backends.counters.store(storeId)).toMatchObject({ units, skus: SKUS });
  });
});
