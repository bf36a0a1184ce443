import type { ItemVersion } from '@inventory/domain/model';
import type { InventoryCounters } from '@inventory/stock/counters-and-cache';
import type { Logger } from '@inventory/shared/observability';

/**
 * Item states stored in DynamoDB whose counters apply (and read-version bump) failed, retried until
 * Redis takes them; and writes of unknown outcome, read back once DynamoDB answers. Without the
 * retry a write made while Redis was unreachable from this pod would leave the store's read version
 * where it was, and readers could keep serving the answer cached under it until the store's next
 * write. Applies are versioned, so a retry after a newer write changes nothing; only the newest
 * state per SKU is kept. Lost if the process dies: reconcile repairs the counters, and the cache
 * TTL bounds the rest.
 */
export class PendingCounterApplies {
  private readonly pending = new Map<string, Map<string, ItemVersion>>();
  /** Writes whose outcome DynamoDB never told us (it went away mid-call): `store/sku` to read back. */
  private readonly unsure = new Map<string, { storeId: string; sku: string }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly counters: InventoryCounters,
    private readonly logger: Logger,
    /** The SKU as the table now holds it; only needed for `addUnsure`. */
    private readonly readBack?: (storeId: string, sku: string) => Promise<ItemVersion | undefined>,
    private readonly retryEveryMs = 500,
  ) {}

  get size(): number {
    let size = this.unsure.size;
    for (const items of this.pending.values()) size += items.size;
    return size;
  }

  /**
   * A write DynamoDB may or may not have applied (the connection died, the deadline passed): once
   * DynamoDB answers again, the SKU is read back and whatever it holds goes to the counters, so they
   * equal the table without waiting for the SKU's next write.
   */
  addUnsure(storeId: string, sku: string): void {
    this.unsure.set(`${storeId}/${sku}`, { storeId, sku });
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => void this.retry(), this.retryEveryMs).unref();
  }

  add(storeId: string, item: ItemVersion): void {
    const items = this.pending.get(storeId) ?? new Map<string, ItemVersion>();
    const known = items.get(item.sku);
    if (!known || known.version < item.version) items.set(item.sku, item);
    this.pending.set(storeId, items);
    this.schedule();
  }

  private async retry(): Promise<void> {
    for (const [key, { storeId, sku }] of [...this.unsure]) {
      let item: ItemVersion | undefined;
      try {
        item = await this.readBack?.(storeId, sku);
      } catch {
        break; // DynamoDB still unavailable: try again later.
      }
      this.unsure.delete(key);
      if (item) this.add(storeId, item);
    }
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
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.size > 0) this.schedule();
  }
}
