import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger, Metrics } from '@inventory/shared/observability';
import type { StockWriteRepository } from '@inventory/stock/inventory-table';
import { PromiseRecords } from '@inventory/stock/movements';
import type { StockWriters } from '@inventory/stock/store-update';
import { PromiseDocuments } from '@inventory/stock/movements';
import { PromiseLedger } from './promise-ledger';
import { PromiseViews } from './promise-views';
import { ExpirySweeper } from './reservations/expiry-sweeper';
import { Reservations } from './reservations/reservations';
import { Transfers } from './transfers/transfers';

export interface PromiseDeps {
  client: DynamoDBClient;
  writes: StockWriteRepository;
  /** The stock writers: promises share their idempotency keys and their background counter retries. */
  writers: StockWriters;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
}

export interface Promises {
  ledger: PromiseLedger;
  views: PromiseViews;
  reservations: Reservations;
  transfers: Transfers;
  /** Releases holds past their expiry: started by the process that runs it (write-api). */
  sweeper: ExpirySweeper;
}

/** Reservations, transfers and safety stock over the stock tables, as every process that writes them builds them. */
export function createPromises(deps: PromiseDeps): Promises {
  const tableName = deps.writes.tableName;
  const now = deps.now ?? (() => new Date());
  const ledger = new PromiseLedger({
    writes: deps.writes,
    records: new PromiseRecords(deps.client, tableName),
    updater: deps.writers.updater,
    idempotency: deps.writers.idempotency,
    now,
  });
  const documents = new PromiseDocuments(deps.client, tableName);
  const views = new PromiseViews(documents);
  const reservations = new Reservations({ ledger, views, metrics: deps.metrics });
  return {
    ledger,
    views,
    reservations,
    transfers: new Transfers({ ledger, documents, views }),
    sweeper: new ExpirySweeper({
      client: deps.client,
      inventoryTable: tableName,
      reservations,
      logger: deps.logger,
      now: () => now().getTime(),
    }),
  };
}

/** The reads of reservations and transfers alone (query-api). */
export function createPromiseViews(client: DynamoDBClient, inventoryTable: string, timeoutMs: number): PromiseViews {
  return new PromiseViews(new PromiseDocuments(client, inventoryTable, timeoutMs));
}
