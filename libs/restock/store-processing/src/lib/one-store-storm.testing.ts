import { storeIdOf } from '@inventory/domain/model';
import type { InventoryTestEnvironment } from '@inventory/service/testing';
import type { RestockJobData, StoreRestockResult } from '@inventory/restock/queue';
import type { StormRecords } from '@inventory/restock/storm';
import { CpuGovernor } from '@inventory/restock/cpu-governor';
import { createRestockProcessor, type RestockProcessorDeps } from './restock.processor';

export interface OneStoreStorm {
  storeIndex: number;
  skus: number;
  manifestSeed: number;
  /** Share of SKUs whose manifest count differs from the last storm's; 1 unless given. */
  changeRatio?: number;
  /** The storm's count time (`counted_at`); now unless given. */
  countedAt?: Date;
}

/** Starts a storm over one store in `records` and answers its one job. */
export async function oneStoreStormJob(records: StormRecords, storm: OneStoreStorm): Promise<RestockJobData> {
  const changeRatio = storm.changeRatio ?? 1;
  const parameters = {
    duration_seconds: 120,
    target_cpu: 100,
    stores: 1,
    skus_per_store: storm.skus,
    change_ratio: changeRatio,
    manifest_seed: storm.manifestSeed,
  };
  const started = await records.start(parameters, storm.countedAt ?? new Date());
  if (!('record' in started)) throw new Error(`storm ${started.runningStormId} still running`);
  return {
    storm_id: started.record.storm_id,
    store_id: storeIdOf(storm.storeIndex),
    store_index: storm.storeIndex,
    skus_per_store: storm.skus,
    manifest_seed: storm.manifestSeed,
    change_ratio: changeRatio,
    target_cpu: 100,
    deadline_ms: Date.now() + 120_000,
    counted_at: started.record.counted_at,
  };
}

/** The job's processor in this process, over the environment's backends unless others are given (a fault proxy's clients, a racing repository). */
export function oneStoreStormProcessor(
  env: Pick<InventoryTestEnvironment, 'backends' | 'logger' | 'metrics'>,
  records: StormRecords,
  overrides: Partial<Pick<RestockProcessorDeps, 'repository' | 'writes' | 'history' | 'storeWcuPerSecond'>> = {},
): (job: RestockJobData) => Promise<StoreRestockResult> {
  return createRestockProcessor({
    repository: env.backends.repository,
    promises: env.backends.promiseRecords,
    writes: env.backends.writes,
    history: env.backends.history,
    counters: env.backends.counters,
    records,
    governor: new CpuGovernor(1),
    logger: env.logger,
    metrics: env.metrics,
    onDeadline: async () => undefined,
    ...overrides,
  });
}

/**
 * One storm over one store, run as its one job by the processor in this process: for specs, and
 * for the capacity tool's unit costs.
 */
export async function runOneStoreStorm(
  env: Pick<InventoryTestEnvironment, 'backends' | 'logger' | 'metrics'>,
  records: StormRecords,
  options: OneStoreStorm & Partial<Pick<RestockProcessorDeps, 'repository' | 'storeWcuPerSecond'>>,
): Promise<StoreRestockResult> {
  const { repository, storeWcuPerSecond, ...storm } = options;
  const job = await oneStoreStormJob(records, storm);
  return oneStoreStormProcessor(env, records, {
    ...(repository ? { repository } : {}),
    ...(storeWcuPerSecond === undefined ? {} : { storeWcuPerSecond }),
  })(job);
}
