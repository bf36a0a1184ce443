export * from './lib/dynamodb-client';
export * from './lib/inventory-table';
export * from './lib/store-inventory.repository';
export * from './lib/inventory-table.scanner';
