export { RedisKeys } from './lib/redis-keys';
export { InventoryCounters, type TotalCounters } from './lib/inventory-counters';
export { StoreReadCache } from './lib/store-read-cache';
