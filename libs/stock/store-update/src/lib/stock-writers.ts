import type { Logger, Metrics } from '@inventory/shared/observability';
import type { RedisConnection } from '@inventory/shared/redis';
import type { InventoryCounters, RedisKeys } from '@inventory/stock/counters-and-cache';
import type { StockWriteRepository, StoreInventoryRepository } from '@inventory/stock/inventory-table';
import { Idempotency, type IdempotencyRecords, InFlightKeys } from '@inventory/stock/idempotency';
import { BatchWriter } from './batch-writer';
import { InventoryUpdater } from './inventory-updater';

export interface StockWriterDeps {
  writes: StockWriteRepository;
  repository: StoreInventoryRepository;
  counters: InventoryCounters;
  idempotencyRecords: IdempotencyRecords;
  /** Where keys in flight are marked across pods, and for how long a dead holder keeps one. */
  inFlight: { connection: RedisConnection; keys: RedisKeys; holdMs: number };
  logger: Logger;
  metrics: Metrics;
}

export interface StockWriters {
  updater: InventoryUpdater;
  batches: BatchWriter;
  /** Keys of every stock write, reservations and transfers too (stock/promises). */
  idempotency: Idempotency;
}

/** The stock writers as every process that writes stock builds them: one idempotency, the batch's rows through the updater. */
export function createStockWriters(deps: StockWriterDeps): StockWriters {
  const idempotency = new Idempotency(deps.idempotencyRecords, new InFlightKeys({ ...deps.inFlight, logger: deps.logger }));
  const updater = new InventoryUpdater({
    writes: deps.writes,
    counters: deps.counters,
    logger: deps.logger,
    metrics: deps.metrics,
    idempotency,
  });
  const batches = new BatchWriter({
    updater,
    writes: deps.writes,
    repository: deps.repository,
    counters: deps.counters,
    logger: deps.logger,
    idempotency,
  });
  return { updater, batches, idempotency };
}
