import { NotFoundError } from '@inventory/domain/model';
import type { StoreItems, VersionedStoreItem } from './store-items';

/**
 * One-SKU reads (apps/README.md#http-contract), straight from DynamoDB, strongly consistent: a GetItem-sized read is
 * half a read unit, while a cache keyed by the store's read version would be retired by any change
 * anywhere in the store, so it would rarely be hit where reads are hot.
 */
export class SkuReader {
  constructor(private readonly repository: StoreItems) {}

  async item(storeId: string, sku: string): Promise<VersionedStoreItem> {
    const [item] = await this.repository.getItems([{ storeId, sku }]);
    if (!item) throw new NotFoundError(`store ${storeId} holds no SKU ${sku}`);
    return item;
  }

  /** The SKU in each store asked (at most 100: one BatchGetItem), in the order asked, and the stores without it. */
  async acrossStores(sku: string, storeIds: string[]): Promise<{ items: VersionedStoreItem[]; missing: string[] }> {
    const found = new Map(
      (await this.repository.getItems(storeIds.map((storeId) => ({ storeId, sku })))).map((item) => [item.store_id, item]),
    );
    return {
      items: storeIds.flatMap((storeId) => found.get(storeId) ?? []),
      missing: storeIds.filter((storeId) => !found.has(storeId)),
    };
  }
}
