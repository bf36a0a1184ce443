export {
  ATTR,
  ensureInventoryTable,
  deleteInventoryTables,
  enablePointInTimeRecovery,
  ensureLeaseTable,
  leaseTableName,
} from './lib/inventory-table';
export {
  StoreInventoryRepository,
  BATCH_WRITE_LIMIT,
  UnprocessedItemsError,
  type BatchWriteOptions,
  type RepositoryOptions,
  type RestockState,
  type VersionedItem,
} from './lib/store-inventory.repository';
export { listStoreIds } from './lib/inventory-table.scanner';
export {
  StockWriteRepository,
  StaleStateError,
  TransactionConflictError,
  PromiseConditionError,
  type StockWrite,
  type PromiseCommit,
} from './lib/stock-write.repository';
export { openStockTables, type StockTables } from './lib/stock-tables';
