export * from './lib/redis-keys';
export * from './lib/inventory-counters';
export * from './lib/store-read-cache';
