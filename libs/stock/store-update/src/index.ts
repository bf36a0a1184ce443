export * from './lib/inventory-updater';
export * from './lib/in-flight-keys';
export * from './lib/batch-writer';
