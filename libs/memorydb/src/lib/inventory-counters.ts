import { defineLuaCommands } from './lua-commands';
import type { RedisConnection } from './redis-connection';
import type { RedisKeys } from './redis-keys';

/** One item state to apply; only a version newer than the applied one changes anything. */
export interface ItemVersion {
  sku: string;
  version: number;
  quantity: number;
}

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
// table. The read version always moves, retiring any cached answer of this store.
const APPLY_ITEM_VERSIONS = `
local applied, dUnits, dSkus = 0, 0, 0
for i = 1, #ARGV, 3 do
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
redis.call('INCR', KEYS[3])
local newStore = 0
if skusBefore == 0 and dSkus > 0 then newStore = 1 end
return {applied, dUnits, dSkus, newStore}
`;

const ADD_TOTALS = `
redis.call('HINCRBY', KEYS[1], 'units', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'skus', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'updates', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'stores', ARGV[4])
return 1
`;

interface CounterCommands {
  applyItemVersions(skus: string, summary: string, version: string, ...args: (string | number)[]): Promise<number[]>;
  addTotals(totals: string, units: number, skus: number, updates: number, stores: number): Promise<number>;
}

function numbers<K extends string>(hash: Record<string, string>, fields: K[]): Record<K, number> {
  return Object.fromEntries(fields.map((field) => [field, Number(hash[field] ?? 0)])) as Record<K, number>;
}

/** The MemoryDB inventory counters: per SKU, per store, and platform totals. */
export class InventoryCounters {
  private readonly commands: CounterCommands;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {
    this.commands = defineLuaCommands<CounterCommands>(redis, {
      applyItemVersions: { numberOfKeys: 3, lua: APPLY_ITEM_VERSIONS },
      addTotals: { numberOfKeys: 1, lua: ADD_TOTALS },
    });
  }

  /**
   * Applies item states of one store atomically (store keys share a slot), then adds what changed
   * to the totals, which live in another slot: a crash between the two leaves only the totals
   * behind, and the reconcile tool recomputes them from the stores.
   */
  async apply(storeId: string, items: ItemVersion[]): Promise<AppliedChange> {
    const args = items.flatMap((item) => [item.sku, item.version, item.quantity]);
    const [applied = 0, units = 0, skus = 0, newStore = 0] = await this.commands.applyItemVersions(
      this.keys.storeSkus(storeId),
      this.keys.storeSummary(storeId),
      this.keys.readVersion(storeId),
      ...args,
    );
    if (applied > 0) await this.commands.addTotals(this.keys.totals(), units, skus, applied, newStore);
    return { applied, units, skus };
  }

  async store(storeId: string): Promise<StoreCounters> {
    return numbers(await this.redis.hgetall(this.keys.storeSummary(storeId)), ['units', 'skus', 'updates']);
  }

  /** Per-SKU quantities as the counters hold them, for reconciliation against the table. */
  async storeQuantities(storeId: string): Promise<Map<string, number>> {
    const entries = await this.redis.hgetall(this.keys.storeSkus(storeId));
    return new Map(Object.entries(entries).map(([sku, value]) => [sku, Number(value.slice(value.indexOf(':') + 1))]));
  }

  async totals(): Promise<TotalCounters> {
    return numbers(await this.redis.hgetall(this.keys.totals()), ['units', 'skus', 'updates', 'stores']);
  }
}
