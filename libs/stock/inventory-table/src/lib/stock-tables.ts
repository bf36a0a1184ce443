import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient, type DynamoDbClientOptions } from '@inventory/shared/dynamodb';
import { MovementHistoryRepository, PromiseRecords } from '@inventory/stock/movements';
import { IdempotencyRecords } from '@inventory/stock/idempotency';
import { StockWriteRepository } from './stock-write.repository';
import { StoreInventoryRepository } from './store-inventory.repository';

/** Every repository over the stock table, on one client, each bounded by the same deadline. */
export interface StockTables {
  dynamodb: DynamoDBClient;
  repository: StoreInventoryRepository;
  /** Stock writes as movements, with their idempotency records. */
  writes: StockWriteRepository;
  history: MovementHistoryRepository;
  idempotencyRecords: IdempotencyRecords;
  /** Each SKU's reserved, incoming and safety-stock units (libs/stock/README.md#promises). */
  promiseRecords: PromiseRecords;
  /** Every call's deadline, retries included: what each repository here was given. */
  timeoutMs: number;
}

/**
 * The stock table's repositories as a process uses them: the one place that knows the items, the
 * movements, the idempotency and promise records share a table and a client (libs/stock/README.md).
 */
export function openStockTables(client: DynamoDbClientOptions & { timeoutMs: number }, tableName: string): StockTables {
  const dynamodb = createDynamoDbClient(client);
  const options = { timeoutMs: client.timeoutMs };
  return {
    dynamodb,
    repository: new StoreInventoryRepository(dynamodb, tableName, options),
    writes: new StockWriteRepository(dynamodb, tableName, options),
    history: new MovementHistoryRepository(dynamodb, tableName, options),
    idempotencyRecords: new IdempotencyRecords(dynamodb, tableName, options),
    promiseRecords: new PromiseRecords(dynamodb, tableName, client.timeoutMs),
    timeoutMs: client.timeoutMs,
  };
}
