import type { InventoryTestEnvironment } from '@inventory/service/testing';
import { testStockWriters } from '@inventory/stock/store-update/testing';
import { createPromises, type Promises } from './lib/create-promises';

/** Reservations, transfers and safety stock over a test environment, as write-api builds them (its own lanes: another "pod" each call; `now` its clock). */
export function testPromises(env: InventoryTestEnvironment, now?: () => Date): Promises {
  return createPromises({
    client: env.backends.dynamodb,
    writes: env.backends.writes,
    writers: testStockWriters(env),
    logger: env.logger,
    metrics: env.metrics,
    now,
  });
}
