export { InventoryUpdater, type WriteContext, type WriteOutcome, type UpdateRequest, type AdjustRequest } from './lib/inventory-updater';
export { BatchWriter, type BatchAnswer, type BatchOutcome, type BatchRowResult } from './lib/batch-writer';
export { createStockWriters, type StockWriters, type StockWriterDeps } from './lib/stock-writers';
export { SkuWriteLanes } from './lib/sku-write-lanes';
