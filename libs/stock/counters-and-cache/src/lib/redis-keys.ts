import { fnv1a32 } from '@inventory/domain/model';

/**
 * Every key the platform keeps in MemoryDB. A store's keys share the hash tag `{storeId}`, so in
 * cluster mode they live in one slot and one Lua script may touch them all atomically.
 */
/** How many shares the platform totals are kept in (see `RedisKeys.totals`). */
export const TOTALS_SHARDS = 16;

/** A store's share of the totals: a stable hash of its id, so every process picks the same. */
export function totalsShardOf(storeId: string): number {
  return fnv1a32(storeId) % TOTALS_SHARDS;
}

export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Grows on every change to the store; part of the read-cache key, so a change retires old answers. */
  readVersion(storeId: string): string {
    return `${this.prefix}:{${storeId}}:ver`;
  }

  /** Hash of SKU → `version:quantity`: what the counters last applied for each SKU. */
  storeSkus(storeId: string): string {
    return `${this.prefix}:{${storeId}}:skus`;
  }

  /** Hash with `units` (on hand), `skus` (distinct), `updates` (applied changes). */
  storeSummary(storeId: string): string {
    return `${this.prefix}:{${storeId}}:summary`;
  }

  /** SCAN pattern of every store's summary key, one per store the counters know. */
  storeSummaryPattern(): string {
    return `${this.prefix}:{*}:summary`;
  }

  /** The store a `storeSummary` key belongs to. */
  storeIdOfSummary(key: string): string {
    return key.slice(this.prefix.length + 2, -'}:summary'.length);
  }

  /**
   * Sorted set of SKU → the read version at which it last changed (at most the newest
   * `DELTA_LOG_MAX_SKUS`): what a delta read (`?since_version=`) answers from.
   */
  storeChanges(storeId: string): string {
    return `${this.prefix}:{${storeId}}:changes`;
  }

  /** The version since which `storeChanges` holds every change: older `since_version`s answer 410. */
  storeChangesFloor(storeId: string): string {
    return `${this.prefix}:{${storeId}}:changes-floor`;
  }

  readCache(storeId: string, version: number): string {
    return `${this.prefix}:{${storeId}}:read:${version}`;
  }

  /**
   * A store's totals outbox: hash of change id → the delta its counters took, kept until the
   * platform totals (another slot) have taken it too.
   */
  storeTotalsOutbox(storeId: string): string {
    return `${this.prefix}:{${storeId}}:totals-outbox`;
  }

  /**
   * The platform totals' share a store's changes settle into: the totals are the sum of
   * TOTALS_SHARDS hashes, each in a slot of its own (`{totals-N}`), so a storm's settles (one per
   * counters apply of every store) spread over that many cluster shards instead of one.
   */
  totals(storeId: string): string {
    return this.totalsShare(totalsShardOf(storeId));
  }

  /** Every share of the platform totals (their sum is the totals). */
  allTotals(): string[] {
    return Array.from({ length: TOTALS_SHARDS }, (_, shard) => this.totalsShare(shard));
  }

  private totalsShare(shard: number): string {
    return `${this.prefix}:{totals-${shard}}`;
  }

  /** Marks one store change as added to its share of the totals (same slot), so a replay adds nothing. */
  totalsSettled(storeId: string, changeId: string): string {
    return `${this.totals(storeId)}:settled:${storeId}:${changeId}`;
  }

  /**
   * Held while a request with this idempotency key is being applied, so a repeat meanwhile is told
   * so. `keyDigest` is the key's SHA-256: a caller's key may hold any visible character, braces too.
   */
  idempotencyInFlight(keyDigest: string): string {
    return `${this.prefix}:idem-in-flight:${keyDigest}`;
  }
}
