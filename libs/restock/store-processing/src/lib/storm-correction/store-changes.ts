import type { MovementHistoryRepository, RecordedChange } from '@inventory/stock/movements';

/**
 * A change's `at` is taken before its transaction commits, so a change may appear in the listing
 * behind one already read: each refresh looks back this far (far beyond a write's deadline) and
 * drops what it has already seen.
 */
const LOOKBACK_MS = 60_000;

/**
 * The API changes of one store since a storm's `counted_at`, per SKU: read once when the job starts
 * and refreshed after each read of stored state and each write, so that what the storm decides
 * from always includes every change the state it read already holds.
 */
export class StoreChanges {
  private readonly bySku = new Map<string, RecordedChange[]>();
  private readonly seen = new Set<string>();
  private latestAt = '';

  constructor(
    private readonly history: MovementHistoryRepository,
    private readonly storeId: string,
    private readonly countedAt: string,
  ) {}

  async refresh(): Promise<void> {
    const lookback = this.latestAt ? new Date(Date.parse(this.latestAt) - LOOKBACK_MS).toISOString() : '';
    // The storm's own movements sort at `counted_at` itself (stormMovement): starting just past
    // them, a refresh never reads them again, however many the storm has written.
    const afterCount = `${this.countedAt}#\uffff`;
    const from = lookback > afterCount ? lookback : afterCount;
    for (const change of await this.history.changesSince(this.storeId, from)) {
      if (this.seen.has(change.sortKey)) continue;
      this.seen.add(change.sortKey);
      const at = change.sortKey.slice(0, change.sortKey.indexOf('#'));
      if (at > this.latestAt) this.latestAt = at;
      if (change.source !== 'api') continue;
      const changes = this.bySku.get(change.sku) ?? [];
      changes.push(change);
      this.bySku.set(change.sku, changes);
    }
  }

  /** The SKU's API changes since the count. */
  of(sku: string): readonly RecordedChange[] {
    return this.bySku.get(sku) ?? [];
  }
}
