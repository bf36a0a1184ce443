export * from './lib/store-inventory.reader';
export * from './lib/store-answer';
