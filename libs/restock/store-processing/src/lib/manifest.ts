import { baselineQuantity, skuOf, storeIdOf, type SkuRecord } from '@inventory/domain/model';

/** A 32-bit integer hash of four integers (murmur3's finalizer over a simple mix), as a number in [0, 1). */
function unitHash(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ c, 0x85ebca6b) ^ Math.imul(d + 1, 0x27d4eb2f);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/**
 * What the warehouse says a store holds: a deterministic function of (seed, store), so a retried
 * job sees the same manifest. Like a real week, only `changeRatio` of the SKUs differ from the
 * store's baseline assortment.
 */
export function manifestRecord(seed: number, storeIndex: number, skuIndex: number, changeRatio: number): SkuRecord {
  const changed = unitHash(seed, storeIndex, skuIndex, 1) < changeRatio;
  return {
    store_id: storeIdOf(storeIndex),
    sku: skuOf(skuIndex),
    quantity: changed ? Math.floor(unitHash(seed, storeIndex, skuIndex, 2) * 1000) : baselineQuantity(storeIndex, skuIndex),
  };
}
