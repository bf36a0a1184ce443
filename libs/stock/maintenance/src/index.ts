export * from './lib/inventory-seeder';
export * from './lib/counter-reconciler';
