import type { InventoryTestEnvironment } from '@inventory/service/testing';
import { InventoryUpdater } from './lib/inventory-updater';
import { BatchWriter } from './lib/batch-writer';

/** The stock writer over a test environment's table and counters, as write-api builds it (without the Redis in-flight marks). */
export function testUpdater(env: InventoryTestEnvironment): InventoryUpdater {
  return new InventoryUpdater({ writes: env.backends.writes, counters: env.backends.counters, logger: env.logger, metrics: env.metrics });
}

/** The batch writer over a test environment, its rows written by `updater`. */
export function testBatchWriter(env: InventoryTestEnvironment, updater = testUpdater(env)): BatchWriter {
  return new BatchWriter({
    updater,
    writes: env.backends.writes,
    repository: env.backends.repository,
    counters: env.backends.counters,
    logger: env.logger,
  });
}
