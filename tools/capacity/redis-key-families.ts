/**
 * Every family of keys the platform keeps in MemoryDB, with what one costs, how long it lives and
 * how many a day of traffic and a storm leave at once: the planner's memory figure is their sum,
 * and `capacity-plan.spec.ts` checks that every key `RedisKeys` names has its row here.
 */
import { DELIVERIES_KEPT } from '@inventory/events/webhooks';
import { SETTLED_MARK_AFTER_OUTBOX_SECONDS as MARK_AFTER_OUTBOX_S } from '@inventory/stock/counters-and-cache';
import type { StormInputs, UnitCosts } from './capacity-plan';

/** A normal day's traffic beside the storm (a retailer's tills, integrations and webhooks). */
export interface DayInputs {
  /** Stock writes the APIs accept a day (sales, counts, receipts: each a counters apply). */
  api_writes_per_day: number;
  /** Stock writes a second at the day's busiest (each a stream record the events consumers take). */
  peak_writes_per_s: number;
  /** Webhook deliveries a day (events × webhooks subscribed to them). */
  deliveries_per_day: number;
  /** Keyed writes in flight at once (each holds an in-flight key for its request's life). */
  keyed_writes_in_flight: number;
  /** Distinct callers (addresses, keys) seen in a rate-limit window. */
  callers_per_window: number;
  /** Seconds a cached answer lives (`CACHE_TTL_SECONDS`). */
  cache_ttl_s: number;
}

export const DEFAULT_DAY: DayInputs = {
  // 30,000 stores × ~1,500 movements a day (sales, receipts, counts): a busy day's guess, stated.
  api_writes_per_day: 45_000_000,
  // Most of the day's writes in ~12 trading hours (~1,000/s), the busiest hour five times that.
  peak_writes_per_s: 5_000,
  deliveries_per_day: 45_000_000,
  keyed_writes_in_flight: 2_000,
  callers_per_window: 200_000,
  cache_ttl_s: 300,
};

/** Completed restock jobs kept, at most (`restock-queue.ts`: an hour or 10,000). */
const RESTOCK_JOBS_KEPT = 10_000;
const DAY_S = 86_400;

/** One family: its key, what one holds, how long it lives, and how many live at once. */
export interface KeyFamily {
  /** `RedisKeys` method (or the owner's name for keys outside it). */
  family: string;
  key: string;
  /** Bytes one key takes (`MEMORY USAGE`), measured, or estimated where marked `~`. */
  bytes_each: string;
  lifetime: string;
  /** How many live at once, and from what. */
  count: number;
  count_from: string;
  bytes: number;
}

/** Every family's row: a day's steady state with one storm's keys on top. */
export function redisKeyFamilies(storm: StormInputs, day: DayInputs, unit: UnitCosts): KeyFamily[] {
  const { stores, skus_per_store: skus } = storm;
  const appliesPerStorm = stores * Math.ceil(skus / storm.skus_per_apply);
  const changeLogEntries = Math.min(skus, storm.change_log_skus);
  const marksAtOnce = (day.api_writes_per_day / DAY_S) * MARK_AFTER_OUTBOX_S + appliesPerStorm;
  const deliveriesKept = Math.min(DELIVERIES_KEPT, day.deliveries_per_day);
  const rows: Array<Omit<KeyFamily, 'bytes'> & { each: number }> = [
    {
      family: 'storeSkus',
      key: '{store}:skus',
      each: skus * unit.redis_bytes_per_sku_counter,
      bytes_each: `${unit.redis_bytes_per_sku_counter} B a SKU`,
      lifetime: 'while the store has SKUs',
      count: stores,
      count_from: 'one per store',
    },
    {
      family: 'storeSummary',
      key: '{store}:summary',
      each: 100,
      bytes_each: '~100 B',
      lifetime: 'while the store has SKUs',
      count: stores,
      count_from: 'one per store',
    },
    {
      family: 'readVersion',
      key: '{store}:ver',
      each: 60,
      bytes_each: '~60 B',
      lifetime: "from the store's first change on; one a read starts: the cache's lifetime",
      count: stores,
      count_from: 'one per store changed (reads of unknown stores: none past the cache lifetime)',
    },
    {
      family: 'storeChanges',
      key: '{store}:changes',
      each: changeLogEntries * unit.redis_bytes_per_change_log_entry,
      bytes_each: `${unit.redis_bytes_per_change_log_entry} B an entry, ≤ ${storm.change_log_skus} entries`,
      lifetime: 'capped at DELTA_LOG_MAX_SKUS entries',
      count: stores,
      count_from: 'one per store',
    },
    {
      family: 'storeChangesFloor',
      key: '{store}:changes-floor',
      each: 60,
      bytes_each: '~60 B',
      lifetime: 'as its change log',
      count: stores,
      count_from: 'one per store',
    },
    {
      family: 'readCache',
      key: '{store}:read:<version>',
      each: skus * unit.redis_bytes_per_sku_cached,
      bytes_each: `${unit.redis_bytes_per_sku_cached} B a SKU`,
      lifetime: `CACHE_TTL_SECONDS (${day.cache_ttl_s} s)`,
      count: stores,
      count_from: 'at most one current version per store read within the lifetime (older ones lapse)',
    },
    {
      family: 'storeTotalsOutbox',
      key: '{store}:totals-outbox',
      each: 100,
      bytes_each: '~100 B',
      lifetime: "until the totals take the change (milliseconds; a killed process: the store's next apply)",
      count: 0,
      count_from: 'empty at rest',
    },
    {
      family: 'totals',
      key: '{totals-N}',
      each: 150,
      bytes_each: '~150 B',
      lifetime: 'always',
      count: storm.totals_shards,
      count_from: 'TOTALS_SHARDS',
    },
    {
      family: 'totalsSettled',
      key: '{totals-N}:settled:<store>:<change>',
      each: unit.redis_bytes_per_totals_marker,
      bytes_each: `${unit.redis_bytes_per_totals_marker} B`,
      lifetime: `${MARK_AFTER_OUTBOX_S} s after its change left the outbox (a week while it has not)`,
      count: marksAtOnce,
      count_from: `${day.api_writes_per_day} writes a day over ${MARK_AFTER_OUTBOX_S} s + a storm's ${appliesPerStorm} applies`,
    },
    {
      family: 'idempotencyInFlight',
      key: 'idem-in-flight:<sha256>',
      each: 120,
      bytes_each: '~120 B',
      lifetime: 'the keyed request (IDEMPOTENCY_IN_FLIGHT_MS at most)',
      count: day.keyed_writes_in_flight,
      count_from: 'keyed writes in flight',
    },
    {
      family: 'restock jobs (BullMQ)',
      key: '{restock}:restock:<job>',
      each: unit.redis_bytes_per_job,
      bytes_each: `${unit.redis_bytes_per_job} B`,
      lifetime: 'queued until taken; done: an hour or the newest 10,000; failed: a week',
      count: stores + RESTOCK_JOBS_KEPT,
      count_from: `a storm's ${stores} queued + ${RESTOCK_JOBS_KEPT} kept`,
    },
    {
      family: 'webhook deliveries (BullMQ)',
      key: '{restock}:webhooks:<job>',
      each: unit.redis_bytes_per_delivery_job,
      bytes_each: `${unit.redis_bytes_per_delivery_job} B`,
      lifetime: `delivered: a day or the newest ${DELIVERIES_KEPT}; failed (dead letters): a week`,
      count: deliveriesKept,
      count_from: `min(${day.deliveries_per_day} a day, ${DELIVERIES_KEPT} kept)`,
    },
    {
      family: 'webhook order gates',
      key: '{restock}:webhooks:order:<webhook>:<store>/<sku>',
      each: 120,
      bytes_each: '~120 B',
      lifetime: 'while a delivery of that SKU waits',
      count: 0,
      count_from: 'empty at rest',
    },
    {
      family: 'storm records',
      key: '{restock}:storm:*',
      each: 80 * stores,
      bytes_each: '~80 B a store (its result)',
      lifetime: 'a week; the newest 100 storms listed',
      count: 1,
      count_from: 'a storm a week',
    },
    {
      family: 'rate limits',
      key: 'ratelimit:<name>:<caller>',
      each: 90,
      bytes_each: '~90 B',
      lifetime: 'its window (a minute; credential failures 15 min)',
      count: day.callers_per_window,
      count_from: 'callers seen in a window',
    },
    {
      family: 'API key revocations',
      key: 'api-keys:revoked',
      each: 60 * 1_000,
      bytes_each: '~60 B a revocation',
      lifetime: "entries older than the key cache's lifetime dropped on each revoke",
      count: 1,
      count_from: 'one feed',
    },
  ];
  return rows.map(({ each, ...row }) => ({ ...row, bytes: Math.round(row.count * each) }));
}
