import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger, Metrics } from '@inventory/shared/observability';
import type { InventoryCounters } from '@inventory/stock/counters-and-cache';
import type { StockWriteRepository } from '@inventory/stock/inventory-table';
import { PromiseRecords } from '@inventory/stock/movements';
import type { StockWriters } from '@inventory/stock/store-update';
import { PromiseDocuments } from './promise-documents';
import { PromiseLedger } from './promise-ledger';
import { ExpirySweeper } from './reservations/expiry-sweeper';
import { ReservationRecords } from './reservations/reservation-records';
import { Reservations } from './reservations/reservations';
import { Transfers } from './transfers/transfers';

export interface PromiseDeps {
  client: DynamoDBClient;
  writes: StockWriteRepository;
  counters: InventoryCounters;
  /** The stock writers: promises share their idempotency keys and their background counter retries. */
  writers: StockWriters;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
}

export interface Promises {
  ledger: PromiseLedger;
  reservations: Reservations;
  transfers: Transfers;
  /** Releases holds past their expiry: started by the process that runs it (write-api). */
  sweeper: ExpirySweeper;
}

/** Reservations, transfers and safety stock over the stock tables, as every process that writes them builds them. */
export function createPromises(deps: PromiseDeps): Promises {
  const tableName = deps.writes.tableName;
  const ledger = new PromiseLedger({
    writes: deps.writes,
    records: new PromiseRecords(deps.client, tableName),
    counters: deps.counters,
    updater: deps.writers.updater,
    idempotency: deps.writers.idempotency,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
  });
  const documents = new PromiseDocuments(deps.client, tableName);
  const reservations = new Reservations({ ledger, records: new ReservationRecords(documents), metrics: deps.metrics });
  return {
    ledger,
    reservations,
    transfers: new Transfers({ ledger, documents }),
    sweeper: new ExpirySweeper({ client: deps.client, inventoryTable: tableName, reservations, logger: deps.logger }),
  };
}
