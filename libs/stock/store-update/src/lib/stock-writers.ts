import type { Logger, Metrics } from '@inventory/shared/observability';
import type { RedisConnection } from '@inventory/shared/redis';
import type { InventoryCounters, RedisKeys } from '@inventory/stock/counters-and-cache';
import type { StockWriteRepository, StoreInventoryRepository } from '@inventory/stock/inventory-table';
import { Idempotency, type IdempotencyRecords, InFlightKeys } from '@inventory/stock/idempotency';
import { BatchWriter } from './batch-writer';
import { InventoryUpdater } from './inventory-updater';

/** What the writers use of a process's backends (service/bootstrap's, or a test environment's). */
export interface StockWriterDeps {
  backends: {
    writes: StockWriteRepository;
    repository: StoreInventoryRepository;
    counters: InventoryCounters;
    idempotencyRecords: IdempotencyRecords;
    /** Where keys in flight are marked across pods. */
    redis: RedisConnection;
    keys: RedisKeys;
  };
  /** How long a dead holder keeps a key in flight. */
  config: { IDEMPOTENCY_IN_FLIGHT_MS: number };
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
export function createStockWriters({ backends, config, logger, metrics }: StockWriterDeps): StockWriters {
  const { writes, repository, counters } = backends;
  const idempotency = new Idempotency(
    backends.idempotencyRecords,
    new InFlightKeys({ connection: backends.redis, keys: backends.keys, holdMs: config.IDEMPOTENCY_IN_FLIGHT_MS, logger }),
  );
  const updater = new InventoryUpdater({ writes, counters, logger, metrics, idempotency });
  const batches = new BatchWriter({ updater, writes, repository, counters, logger, idempotency });
  return { updater, batches, idempotency };
}
