export * from './lib/dynamodb-client';
export * from './lib/inventory-table';
export * from './lib/store-inventory.repository';
export * from './lib/inventory-table.scanner';
export * from './lib/movement-table';
export * from './lib/stock-write.repository';
export * from './lib/movement-history.repository';
export type { RecordedChange } from './lib/movement-item';
