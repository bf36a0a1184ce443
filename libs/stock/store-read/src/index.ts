export { StoreInventoryReader } from './lib/store-inventory.reader';
export { StoreDeltaReader } from './lib/store-delta.reader';
export { SkuReader } from './lib/sku.reader';
export { StoreItems, type StoreItem, type VersionedStoreItem } from './lib/store-items';
