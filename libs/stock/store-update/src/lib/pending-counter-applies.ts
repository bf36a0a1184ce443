import type { InventoryCounters, ItemVersion } from '@inventory/stock/counters-and-cache';
import type { Logger } from '@inventory/shared/observability';

/**
 * Item states stored in DynamoDB whose counters apply (and read-version bump) failed, retried until
 * Redis takes them. Without the retry a write made while Redis was unreachable from this pod would
 * leave the store's read version where it was, and readers could keep serving the answer cached
 * under it until the store's next write. Applies are versioned, so a retry after a newer write
 * changes nothing; only the newest state per SKU is kept. Lost if the process dies: reconcile
 * repairs the counters, and the cache TTL bounds the rest.
 */
export class PendingCounterApplies {
  private readonly pending = new Map<string, Map<string, ItemVersion>>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly counters: InventoryCounters,
    private readonly logger: Logger,
    private readonly retryEveryMs = 500,
  ) {}

  get size(): number {
    let size = 0;
    for (const items of this.pending.values()) size += items.size;
    return size;
  }

  add(storeId: string, item: ItemVersion): void {
    const items = this.pending.get(storeId) ?? new Map<string, ItemVersion>();
    const known = items.get(item.sku);
    if (!known || known.version < item.version) items.set(item.sku, item);
    this.pending.set(storeId, items);
    this.timer ??= setTimeout(() => void this.retry(), this.retryEveryMs).unref();
  }

  private async retry(): Promise<void> {
    for (const [storeId, items] of [...this.pending]) {
      const batch = [...items.values()];
      try {
        await this.counters.apply(storeId, batch);
      } catch {
        break; // Redis still unreachable: try again later.
      }
      // Keep what arrived for this store while the apply ran.
      for (const item of batch) if (items.get(item.sku) === item) items.delete(item.sku);
      if (items.size === 0) this.pending.delete(storeId);
      this.logger.info({ store_id: storeId, items: batch.length }, 'counters and read version caught up after a Redis failure');
    }
    this.timer = undefined;
    if (this.pending.size > 0) this.timer = setTimeout(() => void this.retry(), this.retryEveryMs).unref();
  }
}
