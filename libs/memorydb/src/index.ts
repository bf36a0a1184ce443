export * from './lib/inventory-counters';
export * from './lib/redis-connection';
export * from './lib/redis-keys';
export * from './lib/store-read-cache';
export * from './lib/key-maintenance';
export * from './lib/lua-commands';
