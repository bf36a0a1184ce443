import { storeIdOf } from '@inventory/domain/model';
import type { InventoryTestEnvironment } from '@inventory/service/testing';
import type { StoreInventoryRepository } from '@inventory/stock/inventory-table';
import type { StoreRestockResult } from '@inventory/restock/queue';
import type { StormRecords } from '@inventory/restock/storm';
import { CpuGovernor } from '@inventory/restock/cpu-governor';
import { createRestockProcessor } from './restock.processor';

/**
 * One storm over one store, run as its one job by the processor in this process (every SKU
 * changed: change ratio 1), its store read and writes through `repository`: for specs, and for
 * the capacity tool's unit costs.
 */
export async function runOneStoreStorm(
  env: Pick<InventoryTestEnvironment, 'backends' | 'logger' | 'metrics'>,
  records: StormRecords,
  options: { storeIndex: number; skus: number; manifestSeed: number; repository?: StoreInventoryRepository; storeWcuPerSecond?: number },
): Promise<StoreRestockResult> {
  const parameters = {
    duration_seconds: 120,
    target_cpu: 100,
    stores: 1,
    skus_per_store: options.skus,
    change_ratio: 1,
    manifest_seed: options.manifestSeed,
  };
  const started = await records.start(parameters, new Date());
  if (!('record' in started)) throw new Error(`storm ${started.runningStormId} still running`);
  return createRestockProcessor({
    repository: options.repository ?? env.backends.repository,
    writes: env.backends.writes,
    history: env.backends.history,
    counters: env.backends.counters,
    records,
    governor: new CpuGovernor(1),
    logger: env.logger,
    metrics: env.metrics,
    onDeadline: async () => undefined,
    storeWcuPerSecond: options.storeWcuPerSecond,
  })({
    storm_id: started.record.storm_id,
    store_id: storeIdOf(options.storeIndex),
    store_index: options.storeIndex,
    skus_per_store: options.skus,
    manifest_seed: options.manifestSeed,
    change_ratio: 1,
    target_cpu: 100,
    deadline_ms: Date.now() + 120_000,
    counted_at: started.record.counted_at,
  });
}
