import { AppError } from '@inventory/domain/model';
import type { InventoryTestEnvironment } from '@inventory/service/testing';
import { createStockWriters, type StockWriters } from './lib/stock-writers';
import type { InventoryUpdater } from './lib/inventory-updater';
import type { BatchWriter } from './lib/batch-writer';

/** The stock writers over a test environment's table, counters and Redis, built as write-api builds them. */
export function testStockWriters(env: InventoryTestEnvironment): StockWriters {
  return createStockWriters(env);
}

/** The stock writer over a test environment, as write-api builds it. */
export function testUpdater(env: InventoryTestEnvironment): InventoryUpdater {
  return testStockWriters(env).updater;
}

/** The batch writer over a test environment, as write-api builds it. */
export function testBatchWriter(env: InventoryTestEnvironment): BatchWriter {
  return testStockWriters(env).batches;
}

/**
 * A write retried, as a till retries it, while it is answered WRITE_CONTENDED (503: it kept losing
 * its compare-and-swap to another writer's queue for a while); any other outcome is its own.
 */
export async function retriedWhileContended<T>(write: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'WRITE_CONTENDED')) throw error;
    }
  }
}
