import { type InventoryItem, type PromiseFields, type PromiseState, promiseFields } from '@inventory/domain/model';
import type { StoreInventoryRepository, VersionedItem } from '@inventory/stock/inventory-table';
import type { PromiseRecords } from '@inventory/stock/movements';

/** An item as every read answers it: on hand as the original, then what is promised of it (apps/README.md#reservations-and-transfers). */
export type StoreItem = InventoryItem & PromiseFields;
export type VersionedStoreItem = VersionedItem & PromiseFields;

function withPromises<T extends InventoryItem>(item: T, promise: PromiseState | undefined): T & PromiseFields {
  return { ...item, ...promiseFields(item.quantity, promise) };
}

/**
 * The items reads answer: each with its promise record, read after the items (strongly consistent
 * both), so under the read version taken before, no change that finished before the read is
 * missed. Promise records are sparse (only SKUs with something promised): one more Query per store
 * or page, one more BatchGetItem per 100 SKUs.
 */
export class StoreItems {
  constructor(
    private readonly repository: StoreInventoryRepository,
    private readonly promises: PromiseRecords,
  ) {}

  async listStoreItems(storeId: string, signal?: AbortSignal): Promise<StoreItem[]> {
    const items = await this.repository.listStoreItems(storeId, signal);
    const promises = await this.promises.ofStore(storeId, undefined, signal);
    return items.map((item) => withPromises(item, promises.get(item.sku)));
  }

  async listStorePage(storeId: string, limit: number, afterSku?: string): Promise<{ items: StoreItem[]; more: boolean }> {
    const page = await this.repository.listStorePage(storeId, limit, afterSku);
    const [first, last] = [page.items[0], page.items.at(-1)];
    const promises = first && last ? await this.promises.ofStore(storeId, { from: first.sku, to: last.sku }) : new Map();
    return { items: page.items.map((item) => withPromises(item, promises.get(item.sku))), more: page.more };
  }

  /** At most 100 keys. */
  async getItems(keys: Array<{ storeId: string; sku: string }>): Promise<VersionedStoreItem[]> {
    const items = await this.repository.getItems(keys);
    const promiseOf = await this.promises.ofKeys(items.map((item) => ({ storeId: item.store_id, sku: item.sku })));
    return items.map((item) => withPromises(item, promiseOf(item.store_id, item.sku)));
  }
}
