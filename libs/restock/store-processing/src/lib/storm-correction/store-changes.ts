import { type MovementHistoryRepository, type RecordedChange, stormChunksFrom } from '@inventory/stock/movements';

/**
 * A change's `at` is taken before its transaction commits, so a change may appear in the listing
 * behind one already read: each refresh looks back this far (far beyond a write's deadline) and
 * drops what it has already seen.
 */
const LOOKBACK_MS = 60_000;

/**
 * The API changes of one store since a storm's `counted_at`, per SKU: read once when the job starts
 * and refreshed after each read of stored state and each write, so that what the storm decides
 * from always includes every change the state it read already holds. Also those dated in the
 * lookback before the count: the manifest already counts them, but one committed after the storm
 * read its SKU was overwritten by the storm's write, whose movement must start from it.
 */
export class StoreChanges {
  private readonly bySku = new Map<string, RecordedChange[]>();
  private readonly beforeCount = new Map<string, RecordedChange[]>();
  private readonly seen = new Set<string>();
  private latestAt = '';
  /** Until a lookback past the count, a change dated before it may still commit. */
  private beforeCountSettled = false;

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
      const at = change.sortKey.slice(0, change.sortKey.indexOf('#'));
      if (at > this.latestAt) this.latestAt = at;
      this.add(this.bySku, change);
    }
  }

  /**
   * Reads the changes dated in the lookback before the count: only the storm's movements need them
   * (`replaceable`), so only their flush calls this, not every slice's refresh. Once the lookback
   * past the count is over, none can commit any more and this reads nothing.
   */
  async refreshBeforeCount(): Promise<void> {
    if (this.beforeCountSettled) return;
    this.beforeCountSettled = Date.now() > Date.parse(this.countedAt) + LOOKBACK_MS;
    const lookbackFromCount = new Date(Date.parse(this.countedAt) - LOOKBACK_MS).toISOString();
    for (const change of await this.history.changesSince(this.storeId, lookbackFromCount, stormChunksFrom(this.countedAt))) {
      this.add(this.beforeCount, change);
    }
  }

  private add(into: Map<string, RecordedChange[]>, change: RecordedChange): void {
    if (this.seen.has(change.sortKey)) return;
    this.seen.add(change.sortKey);
    if (change.source !== 'api') return;
    const changes = into.get(change.sku) ?? [];
    changes.push(change);
    into.set(change.sku, changes);
  }

  /** The SKU's API changes since the count. */
  of(sku: string): readonly RecordedChange[] {
    return this.bySku.get(sku) ?? [];
  }

  /** The SKU's API changes a storm's write may have replaced: also those dated shortly before the count (as of `refreshBeforeCount`). */
  replaceable(sku: string): readonly RecordedChange[] {
    return [...(this.beforeCount.get(sku) ?? []), ...this.of(sku)];
  }
}
