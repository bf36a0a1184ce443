import { baselineQuantity, rfc3339, skuOf, skuRecordContent, storeIdOf, type StoredInventoryItem } from '@inventory/domain/model';
import type { StoreInventoryRepository } from '@inventory/stock/inventory-table';
import type { InventoryCounters } from '@inventory/stock/counters-and-cache';

export interface SeedOptions {
  stores: number;
  skusPerStore: number;
  /** Stores written at once. */
  concurrency?: number;
  onStoreDone?: (storesDone: number) => void;
}

/** A store's baseline assortment: the same quantities every time for the same store. */
export function demoAssortment(storeIndex: number, skusPerStore: number, updatedAt: string): StoredInventoryItem[] {
  return Array.from({ length: skusPerStore }, (_, index) => {
    const record = { store_id: storeIdOf(storeIndex), sku: skuOf(index), quantity: baselineQuantity(storeIndex, index) };
    // With the hash stored, a Restock Storm over the baseline writes only what it changes.
    return { ...record, updated_at: updatedAt, version: 1, content_hash: skuRecordContent(record).hash };
  });
}

/**
 * Loads `stores` × `skusPerStore` demo items (stores `store-1`…, SKUs `SKU-1001`…) with batch
 * writes, then sets the counters to match. Meant for an empty table: items are written at version 1.
 */
export async function seedInventory(
  deps: { repository: StoreInventoryRepository; counters: InventoryCounters },
  options: SeedOptions,
): Promise<{ items: number }> {
  const updatedAt = rfc3339(new Date());
  let next = 1;
  let done = 0;
  const worker = async () => {
    while (next <= options.stores) {
      const storeIndex = next++;
      const items = demoAssortment(storeIndex, options.skusPerStore, updatedAt);
      await deps.repository.putItems(items);
      await deps.counters.apply(storeIdOf(storeIndex), items);
      options.onStoreDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, options.stores) }, worker));
  return { items: options.stores * options.skusPerStore };
}
