import { DependencyUnavailableError, rfc3339, type StoredInventoryItem, type UpdateInventoryCommand } from '@inventory/domain/model';
import type { StoreInventoryRepository } from '@inventory/stock/table';
import type { InventoryCounters } from '@inventory/stock/counters-and-cache';
import type { Logger, Metrics } from '@inventory/shared/observability';
import { PendingCounterApplies } from './pending-counter-applies';

export interface InventoryUpdaterOptions {
  repository: StoreInventoryRepository;
  counters: InventoryCounters;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
}

/**
 * One SKU's stock update: DynamoDB first (the record of truth, which assigns the version), then
 * the MemoryDB counters and the store's read version in one atomic script. If Redis fails after
 * the write, the write stands: the caller gets the stored item, and the counters apply is retried
 * in the background until Redis takes it (PendingCounterApplies); if the process dies first, the
 * SKU's next write carries its absolute state there and the reconcile tool repairs the rest.
 */
export class InventoryUpdater {
  private readonly now: () => Date;
  readonly pendingApplies: PendingCounterApplies;

  constructor(private readonly options: InventoryUpdaterOptions) {
    this.now = options.now ?? (() => new Date());
    this.pendingApplies = new PendingCounterApplies(options.counters, options.logger, async (storeId, sku) => {
      const item = await options.repository.getItem(storeId, sku);
      return item && { sku, version: item.version, quantity: item.quantity };
    });
  }

  async update(command: UpdateInventoryCommand, logger: Logger = this.options.logger): Promise<StoredInventoryItem> {
    const { store_id, sku, quantity } = command;
    let stored: StoredInventoryItem;
    try {
      stored = await this.options.repository.setQuantity(store_id, sku, quantity, rfc3339(this.now()));
    } catch (error) {
      this.options.metrics.count('UpdateError');
      // DynamoDB went away mid-call: the write may have landed. Its counters follow once it is back.
      if (error instanceof DependencyUnavailableError) this.pendingApplies.addUnsure(store_id, sku);
      throw error;
    }
    this.options.metrics.count('InventoryUpdated');
    const applied = { sku, version: stored.version, quantity: stored.quantity };
    try {
      await this.options.counters.apply(store_id, [applied]);
    } catch (error) {
      logger.error(
        { err: error, store_id, sku, version: stored.version },
        'stored in DynamoDB, but MemoryDB counters and cache version were not updated: retrying in the background',
      );
      this.pendingApplies.add(store_id, applied);
    }
    return stored;
  }
}
