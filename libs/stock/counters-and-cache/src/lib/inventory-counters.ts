import type { ItemVersion } from '@inventory/domain/model';
import { defineLuaCommands } from '@inventory/shared/redis';
import type { RedisConnection } from '@inventory/shared/redis';
import { scanKeys } from '@inventory/shared/redis';
import type { RedisKeys } from './redis-keys';
import { READ_VERSION_LUA } from './read-version';
import { CHANGE_LOG_LUA } from './store-change-log';

export interface StoreCounters {
  units: number;
  skus: number;
  updates: number;
}

export interface TotalCounters extends StoreCounters {
  stores: number;
}

export interface AppliedChange {
  /** Items whose version was newer than what the counters held. */
  applied: number;
  units: number;
  skus: number;
}

// Counters hold absolute per-SKU state, not deltas: applying the same version twice, or an older
// one after a newer one, changes nothing, so retries and out-of-order arrivals converge on the
// table. The read version always moves (read-version.ts), retiring any cached answer of this store. What changed is
// also left in the store's totals outbox (KEYS[4]) under the new read version, for the totals in
// another slot; the reply ends with every entry the outbox holds. The SKUs applied go to the store's
// change log under the new version (KEYS[5], floor KEYS[6]; ARGV[1] its limit, then
// sku/version/quantity triples).
const APPLY_ITEM_VERSIONS = `${READ_VERSION_LUA}${CHANGE_LOG_LUA}
local applied, dUnits, dSkus = 0, 0, 0
local changed = {}
for i = 2, #ARGV, 3 do
  local sku, version, quantity = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local current = redis.call('HGET', KEYS[1], sku)
  local oldQuantity, newer = nil, true
  if current then
    local sep = string.find(current, ':', 1, true)
    if tonumber(string.sub(current, 1, sep - 1)) >= version then
      newer = false
    else
      oldQuantity = tonumber(string.sub(current, sep + 1))
    end
  end
  if newer then
    redis.call('HSET', KEYS[1], sku, ARGV[i + 1] .. ':' .. ARGV[i + 2])
    applied = applied + 1
    changed[applied] = sku
    dUnits = dUnits + quantity - (oldQuantity or 0)
    if not current then dSkus = dSkus + 1 end
  end
end
local skusBefore = tonumber(redis.call('HGET', KEYS[2], 'skus') or '0')
if applied > 0 then
  redis.call('HINCRBY', KEYS[2], 'units', dUnits)
  redis.call('HINCRBY', KEYS[2], 'skus', dSkus)
  redis.call('HINCRBY', KEYS[2], 'updates', applied)
end
local changeId = bumpReadVersion(KEYS[3])
if applied > 0 then logChanges(KEYS[5], KEYS[6], changeId, changed, tonumber(ARGV[1])) end
local newStore = 0
if skusBefore == 0 and dSkus > 0 then newStore = 1 end
if applied > 0 then
  redis.call('HSET', KEYS[4], changeId, dUnits .. ':' .. dSkus .. ':' .. applied .. ':' .. newStore)
end
local reply = {applied, dUnits, dSkus, newStore}
for _, field in ipairs(redis.call('HGETALL', KEYS[4])) do table.insert(reply, field) end
return reply
`;

/** How long a totals mark outlives its change's outbox entry: far beyond a settler's read-to-settle. */
export const SETTLED_MARK_AFTER_OUTBOX_SECONDS = 300;

// Adds one store change to the totals once: KEYS[2] marks it added, so replaying the change after a
// crash adds nothing. Marked last: a script that fails part-way keeps what it wrote, and a failed
// first write must leave the change unmarked. The mark lasts a week while the change may still sit
// in its store's outbox (a process killed before removing it: the store's next apply replays it);
// once removed, only a settler that read the outbox before then can replay it, within seconds, and
// the mark is cut to SETTLED_MARK_AFTER_OUTBOX_SECONDS (tools/capacity/README.md#redis-key-families).
const SETTLE_TOTALS = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HINCRBY', KEYS[1], 'units', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'skus', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'updates', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'stores', ARGV[4])
redis.call('SET', KEYS[2], '1', 'EX', 604800)
return 1
`;

// Reconcile's repair of one store, atomic with the store's own updates (same slot). ARGV: the
// change log's limit (KEYS[4], floor KEYS[5]), the number of table items, then sku/version/quantity per item, then SKUs to drop. A counter holding
// a newer version than the table read is left alone: an update landed after the read, and the
// counters already hold it. The summary is then recomputed from the per-SKU states; `updates`
// (a count of applied changes, not derivable from the table) is kept. A store left with no SKUs is
// forgotten, but its read version stays: it only ever grows, so no old cached answer returns.
const RESET_STORE = `${READ_VERSION_LUA}${CHANGE_LOG_LUA}
local count = tonumber(ARGV[2])
local changed = 0
local changedSkus = {}
for i = 3, 2 + count * 3, 3 do
  local state = ARGV[i + 1] .. ':' .. ARGV[i + 2]
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if current ~= state then
    local sep = current and string.find(current, ':', 1, true)
    local currentVersion = sep and tonumber(string.sub(current, 1, sep - 1))
    if not currentVersion or currentVersion <= tonumber(ARGV[i + 1]) then
      redis.call('HSET', KEYS[1], ARGV[i], state)
      changed = changed + 1
      changedSkus[changed] = ARGV[i]
    end
  end
end
for i = 3 + count * 3, #ARGV do
  changed = changed + redis.call('HDEL', KEYS[1], ARGV[i])
end
local units, skus = 0, 0
for _, state in ipairs(redis.call('HVALS', KEYS[1])) do
  units = units + tonumber(string.sub(state, string.find(state, ':', 1, true) + 1))
  skus = skus + 1
end
if skus > 0 then
  redis.call('HSET', KEYS[2], 'units', units, 'skus', skus)
else
  redis.call('DEL', KEYS[1], KEYS[2])
end
if changed > 0 then
  local version = bumpReadVersion(KEYS[3])
  if #changedSkus > 0 then logChanges(KEYS[4], KEYS[5], version, changedSkus, tonumber(ARGV[1])) end
end
return changed
`;

interface CounterCommands {
  applyItemVersions(
    skus: string,
    summary: string,
    version: string,
    outbox: string,
    changes: string,
    changesFloor: string,
    ...args: (string | number)[]
  ): Promise<Array<number | string>>;
  settleTotals(totals: string, settled: string, units: string, skus: string, updates: string, stores: string): Promise<number>;
  resetStore(
    skus: string,
    summary: string,
    version: string,
    changes: string,
    changesFloor: string,
    ...args: (string | number)[]
  ): Promise<number>;
}

export const DEFAULT_CHANGE_LOG_LIMIT = 500;

function numbers<K extends string>(hash: Record<string, string>, fields: K[]): Record<K, number> {
  return Object.fromEntries(fields.map((field) => [field, Number(hash[field] ?? 0)])) as Record<K, number>;
}

/** The MemoryDB inventory counters: per SKU, per store, and platform totals. */
export class InventoryCounters {
  private readonly commands: CounterCommands;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    /** SKUs each store's change log keeps for delta reads (`DELTA_LOG_MAX_SKUS`). */
    private readonly changeLogLimit = DEFAULT_CHANGE_LOG_LIMIT,
  ) {
    this.commands = defineLuaCommands<CounterCommands>(redis, {
      applyItemVersions: { numberOfKeys: 6, lua: APPLY_ITEM_VERSIONS },
      settleTotals: { numberOfKeys: 2, lua: SETTLE_TOTALS },
      resetStore: { numberOfKeys: 5, lua: RESET_STORE },
    });
  }

  /**
   * Applies item states of one store atomically (store keys share a slot), then adds what changed
   * to the totals, which live in another slot. The change waits in the store's outbox until the
   * totals took it, exactly once: a process killed in between leaves it there, and the store's
   * next apply (a retried job, the next sale) settles it.
   */
  async apply(storeId: string, items: ItemVersion[]): Promise<AppliedChange> {
    const args = items.flatMap((item) => [item.sku, item.version, item.quantity]);
    const [applied = 0, units = 0, skus = 0, , ...outbox] = await this.commands.applyItemVersions(
      this.keys.storeSkus(storeId),
      this.keys.storeSummary(storeId),
      this.keys.readVersion(storeId),
      this.keys.storeTotalsOutbox(storeId),
      this.keys.storeChanges(storeId),
      this.keys.storeChangesFloor(storeId),
      this.changeLogLimit,
      ...args,
    );
    for (let i = 0; i + 1 < outbox.length; i += 2) await this.settleTotals(storeId, String(outbox[i]), String(outbox[i + 1]));
    return { applied: Number(applied), units: Number(units), skus: Number(skus) };
  }

  /**
   * The items whose version is newer than the counters hold: what an apply would still change. A
   * late applier (the events consumer) applies only these, so a change the request path already
   * applied does not move the store's read version a second time and retire its cached answers.
   */
  async newerThanApplied(storeId: string, items: ItemVersion[]): Promise<ItemVersion[]> {
    if (items.length === 0) return [];
    const applied = await this.redis.hmget(this.keys.storeSkus(storeId), ...items.map((item) => item.sku));
    return items.filter((item, i) => {
      const state = applied[i];
      return state === null || state === undefined || Number(state.slice(0, state.indexOf(':'))) < item.version;
    });
  }

  /**
   * Adds to the totals whatever change of this store still waits in its outbox (its process died
   * between the two slots). Reconcile runs it before comparing, so totals it recomputes already
   * hold those changes and no later apply adds them a second time.
   */
  async settleStore(storeId: string): Promise<void> {
    const outbox = await this.redis.hgetall(this.keys.storeTotalsOutbox(storeId));
    for (const [changeId, delta] of Object.entries(outbox)) await this.settleTotals(storeId, changeId, delta);
  }

  private async settleTotals(storeId: string, changeId: string, delta: string): Promise<void> {
    const [units = '0', skus = '0', updates = '0', stores = '0'] = delta.split(':');
    const mark = this.keys.totalsSettled(storeId, changeId);
    await this.commands.settleTotals(this.keys.totals(storeId), mark, units, skus, updates, stores);
    await this.redis.hdel(this.keys.storeTotalsOutbox(storeId), changeId);
    await this.redis.expire(mark, SETTLED_MARK_AFTER_OUTBOX_SECONDS);
  }

  async store(storeId: string): Promise<StoreCounters> {
    return numbers(await this.redis.hgetall(this.keys.storeSummary(storeId)), ['units', 'skus', 'updates']);
  }

  /** Per-SKU quantities as the counters hold them. */
  async storeQuantities(storeId: string): Promise<Map<string, number>> {
    const states = await this.storeItemVersions(storeId);
    return new Map([...states].map(([sku, state]) => [sku, state.quantity]));
  }

  /** Per-SKU version and quantity the counters last applied, for reconciliation against the table. */
  async storeItemVersions(storeId: string): Promise<Map<string, Omit<ItemVersion, 'sku'>>> {
    const entries = await this.redis.hgetall(this.keys.storeSkus(storeId));
    return new Map(
      Object.entries(entries).map(([sku, value]) => {
        const separator = value.indexOf(':');
        return [sku, { version: Number(value.slice(0, separator)), quantity: Number(value.slice(separator + 1)) }];
      }),
    );
  }

  /** Every store the counters hold a summary for. */
  async countedStoreIds(): Promise<Set<string>> {
    const stores = new Set<string>();
    for await (const keys of scanKeys(this.redis, this.keys.storeSummaryPattern())) {
      for (const key of keys) stores.add(this.keys.storeIdOfSummary(key));
    }
    return stores;
  }

  /**
   * Sets a store's counters to the table's `items` (unless a newer update already moved a SKU on)
   * and drops `absentSkus`; answers how many per-SKU states changed.
   */
  async resetStore(storeId: string, items: ItemVersion[], absentSkus: string[]): Promise<number> {
    const args = [this.changeLogLimit, items.length, ...items.flatMap((item) => [item.sku, item.version, item.quantity]), ...absentSkus];
    return this.commands.resetStore(
      this.keys.storeSkus(storeId),
      this.keys.storeSummary(storeId),
      this.keys.readVersion(storeId),
      this.keys.storeChanges(storeId),
      this.keys.storeChangesFloor(storeId),
      ...args,
    );
  }

  /** The platform totals: the sum of their shares. */
  async totals(): Promise<TotalCounters> {
    const fields = ['units', 'skus', 'updates', 'stores'] as const;
    const shares = await Promise.all(this.keys.allTotals().map(async (key) => numbers(await this.redis.hgetall(key), [...fields])));
    const sum = { units: 0, skus: 0, updates: 0, stores: 0 };
    for (const share of shares) for (const field of fields) sum[field] += share[field];
    return sum;
  }

  /**
   * Overwrites the platform totals, for reconcile once it has summed every store: the first share
   * takes them and the others start again from 0 (only their sum means anything).
   */
  async setTotals(totals: TotalCounters): Promise<void> {
    const [first = '', ...others] = this.keys.allTotals();
    await this.redis.hset(first, totals);
    for (const key of others) await this.redis.hset(key, { units: 0, skus: 0, updates: 0, stores: 0 });
  }
}
