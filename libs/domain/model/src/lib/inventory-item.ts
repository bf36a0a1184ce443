import type { StockMovement } from './stock-movement';

/** One SKU's stock in one store, exactly as the public contract names its fields. */
export interface InventoryItem {
  store_id: string;
  sku: string;
  quantity: number;
  /** RFC 3339 time of the last change. */
  updated_at: string;
}

/** An item as stored: `version` grows by one on every write and orders concurrent updates. */
export interface StoredInventoryItem extends InventoryItem {
  version: number;
  /** SHA-256 of the record a Restock Storm last wrote; removed by any other write. */
  content_hash?: string;
  /** The storm that last wrote the item, so a retried job knows its own earlier writes. */
  restock_storm?: string;
  /** That storm's movement of this item, kept on it so a retried job can record it again if it was lost. */
  storm_movement?: StockMovement;
}

/** One SKU's quantity at a version: what the counters apply (only a newer version changes anything). */
export interface ItemVersion {
  sku: string;
  version: number;
  quantity: number;
}

/** Largest quantity accepted: DynamoDB would take more, but the counters and clients use int32. */
export const MAX_QUANTITY = 2 ** 31 - 1;

/** RFC 3339 with second precision, as the original service printed times. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
