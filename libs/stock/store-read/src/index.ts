export * from './lib/store-inventory.reader';
export * from './lib/store-answer';
export * from './lib/store-delta.reader';
export * from './lib/sku.reader';
