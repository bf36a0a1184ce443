export { demoAssortment, seedInventory } from './lib/inventory-seeder';
export { reconcileCounters } from './lib/counter-reconciler';
