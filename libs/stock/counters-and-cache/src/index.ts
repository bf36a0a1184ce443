export { RedisKeys } from './lib/redis-keys';
export { InventoryCounters, SETTLED_MARK_AFTER_OUTBOX_SECONDS, type TotalCounters } from './lib/inventory-counters';
export { StoreReadCache } from './lib/store-read-cache';
