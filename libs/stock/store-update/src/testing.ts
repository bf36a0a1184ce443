import type { InventoryTestEnvironment } from '@inventory/service/testing';
import { InventoryUpdater } from './lib/inventory-updater';

/** The stock writer over a test environment's table and counters, as write-api builds it (without the Redis in-flight marks). */
export function testUpdater(env: InventoryTestEnvironment): InventoryUpdater {
  return new InventoryUpdater({ writes: env.backends.writes, counters: env.backends.counters, logger: env.logger, metrics: env.metrics });
}
