export * from './lib/inventory-backends';
export * from './lib/inventory-updater';
export * from './lib/store-answer';
export * from './lib/store-inventory.reader';
export * from './lib/run-inventory-service';
export * from './lib/inventory-seeder';
export * from './lib/service-metrics';
export * from './lib/counter-reconciler';
