import { createHash } from 'node:crypto';

/**
 * The platform's store and SKU numbering, and the baseline assortment every store is seeded with:
 * stores `store-1`…, SKUs `SKU-1001`…, quantities a fixed function of (store, SKU).
 */
export const storeIdOf = (storeIndex: number) => `store-${storeIndex}`;
export const skuOf = (skuIndex: number) => `SKU-${1001 + skuIndex}`;

export function baselineQuantity(storeIndex: number, skuIndex: number): number {
  return (storeIndex * 7919 + skuIndex * 104_729) % 500;
}

/** The record whose SHA-256 a stored item carries as `content_hash`. */
export interface SkuRecord {
  store_id: string;
  sku: string;
  quantity: number;
}

/** The record serialized, and the SHA-256 of that serialization: the item's `content_hash`. */
export function skuRecordContent(record: SkuRecord): { json: string; hash: string } {
  const json = JSON.stringify({ store_id: record.store_id, sku: record.sku, quantity: record.quantity });
  return { json, hash: createHash('sha256').update(json).digest('hex') };
}
