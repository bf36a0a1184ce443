import { randomUUID } from 'node:crypto';
import { defineLuaCommands, type RedisConnection } from '@inventory/shared/redis';
import type { StoreRestockResult } from '@inventory/restock/queue';
import type { StormRequest } from '@inventory/domain/model';

export type StormState = 'running' | 'completed' | 'stopped' | 'failed';

export interface StormRecord {
  storm_id: string;
  state: StormState;
  parameters: Required<StormRequest>;
  started_at: string;
  /** The instant the warehouse manifest counts: taken before the trigger answers 202 (libs/restock/README.md#live-changes-are-kept). */
  counted_at: string;
  deadline: string;
  finished_at?: string;
  stores_total: number;
  stores_done: number;
  stores_partial: number;
  skus_checked: number;
  skus_written: number;
  skus_unchanged: number;
  shortfalls: number;
  promises_at_risk: number;
  errors: number;
}

// Counts a store's result once, however many times its job runs (a retry after a killed pod), and
// closes the storm as completed when the last store reports. All keys share the queue's hash tag.
const REPORT_STORE = `
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'skus_checked', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'skus_written', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'skus_unchanged', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'shortfalls', ARGV[7])
redis.call('HINCRBY', KEYS[1], 'promises_at_risk', ARGV[8])
local field = 'stores_partial'
if ARGV[5] == '1' then field = 'stores_done' end
local reported = redis.call('HINCRBY', KEYS[1], field, 1)
local done = tonumber(redis.call('HGET', KEYS[1], 'stores_done') or '0')
if done >= tonumber(redis.call('HGET', KEYS[1], 'stores_total')) and redis.call('HGET', KEYS[1], 'state') == 'running' then
  redis.call('HSET', KEYS[1], 'state', 'completed', 'finished_at', ARGV[6])
  redis.call('DEL', KEYS[3])
  return 2
end
return 1
`;

// Moves a running storm to a final state once; whoever gets there first wins.
const FINISH = `
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'finished_at', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
`;

interface StormCommands {
  reportStormStore(record: string, stores: string, active: string, ...args: (string | number)[]): Promise<number>;
  finishStorm(record: string, active: string, state: string, at: string, stormId: string): Promise<number>;
}

/**
 * Storms as Redis records, so any write-api replica can report any storm and any worker can
 * update it. At most one storm runs at a time: the `active` key is taken with SET NX.
 */
export class StormRecords {
  private readonly commands: StormCommands;

  /**
   * `onFinished` is called in the one process whose call ended a storm (the last store's report,
   * the deadline, a failed dispatch), so each storm's ending is counted exactly once fleet-wide.
   */
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly onFinished: (stormId: string, state: Exclude<StormState, 'running'>) => void = () => undefined,
  ) {
    this.commands = defineLuaCommands<StormCommands>(redis, {
      reportStormStore: { numberOfKeys: 3, lua: REPORT_STORE },
      finishStorm: { numberOfKeys: 2, lua: FINISH },
    });
  }

  private recordKey(stormId: string) {
    return `${this.prefix}:storm:${stormId}`;
  }
  private storesKey(stormId: string) {
    return `${this.prefix}:storm:${stormId}:stores`;
  }
  private activeKey() {
    return `${this.prefix}:storm:active`;
  }
  /** Storm ids by start time, for the storm page's list of recent storms. */
  private startedKey() {
    return `${this.prefix}:storms`;
  }

  /** The storm running now, if any. */
  async runningStormId(): Promise<string | undefined> {
    return (await this.redis.get(this.activeKey())) ?? undefined;
  }

  /** The `limit` most recently started storms still on record, newest first. */
  async recent(limit: number): Promise<StormRecord[]> {
    const ids = await this.redis.zrevrange(this.startedKey(), 0, limit - 1);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((record): record is StormRecord => record !== undefined);
  }

  /** Takes the running-storm slot and writes the record; answers the running storm's id if taken. */
  async start(parameters: Required<StormRequest>, now: Date): Promise<{ record: StormRecord } | { runningStormId: string }> {
    const stormId = `storm-${now.getTime()}-${randomUUID().slice(0, 8)}`;
    // The slot outlives the deadline a little, so a crashed storm cannot block the next forever.
    const slotMs = (parameters.duration_seconds + 600) * 1000;
    const taken = await this.redis.set(this.activeKey(), stormId, 'PX', slotMs, 'NX');
    if (taken !== 'OK') return { runningStormId: (await this.redis.get(this.activeKey())) ?? 'unknown' };

    const record: StormRecord = {
      storm_id: stormId,
      state: 'running',
      parameters,
      started_at: now.toISOString(),
      counted_at: now.toISOString(),
      deadline: new Date(now.getTime() + parameters.duration_seconds * 1000).toISOString(),
      stores_total: parameters.stores,
      stores_done: 0,
      stores_partial: 0,
      skus_checked: 0,
      skus_written: 0,
      skus_unchanged: 0,
      shortfalls: 0,
      promises_at_risk: 0,
      errors: 0,
    };
    const ttlSeconds = 7 * 24 * 3600;
    await this.redis
      .multi()
      .hset(this.recordKey(stormId), { ...record, parameters: JSON.stringify(parameters) })
      .expire(this.recordKey(stormId), ttlSeconds)
      .zadd(this.startedKey(), now.getTime(), stormId)
      // Records expire after a week; the list keeps the last hundred ids (the page asks for a few).
      .zremrangebyrank(this.startedKey(), 0, -101)
      .exec();
    return { record };
  }

  async get(stormId: string): Promise<StormRecord | undefined> {
    const raw = await this.redis.hgetall(this.recordKey(stormId));
    if (!raw['storm_id']) return undefined;
    const count = (field: string) => Number(raw[field] ?? 0);
    return {
      storm_id: raw['storm_id'],
      state: raw['state'] as StormState,
      parameters: JSON.parse(raw['parameters'] ?? '{}'),
      started_at: raw['started_at'] ?? '',
      counted_at: raw['counted_at'] ?? raw['started_at'] ?? '',
      deadline: raw['deadline'] ?? '',
      ...(raw['finished_at'] ? { finished_at: raw['finished_at'] } : {}),
      stores_total: count('stores_total'),
      stores_done: count('stores_done'),
      stores_partial: count('stores_partial'),
      skus_checked: count('skus_checked'),
      skus_written: count('skus_written'),
      skus_unchanged: count('skus_unchanged'),
      shortfalls: count('shortfalls'),
      promises_at_risk: count('promises_at_risk'),
      errors: count('errors'),
    };
  }

  /** Adds a store's result, once per store; the last complete store completes the storm. */
  async reportStore(stormId: string, storeId: string, result: StoreRestockResult, now: Date): Promise<boolean> {
    const counted = await this.commands.reportStormStore(
      this.recordKey(stormId),
      this.storesKey(stormId),
      this.activeKey(),
      storeId,
      result.skus_checked,
      result.skus_written,
      result.skus_unchanged,
      result.complete ? '1' : '0',
      now.toISOString(),
      result.shortfalls,
      result.promises_at_risk,
    );
    if (counted === 0) return false;
    await this.redis.expire(this.storesKey(stormId), 7 * 24 * 3600);
    if (counted === 2) this.onFinished(stormId, 'completed');
    return true;
  }

  async countError(stormId: string): Promise<void> {
    await this.redis.hincrby(this.recordKey(stormId), 'errors', 1);
  }

  /** Ends a running storm (`stopped` at its deadline, `failed` when dispatch broke); false if already ended. */
  async finish(stormId: string, state: Exclude<StormState, 'running' | 'completed'>, now: Date): Promise<boolean> {
    const ended = (await this.commands.finishStorm(this.recordKey(stormId), this.activeKey(), state, now.toISOString(), stormId)) === 1;
    if (ended) this.onFinished(stormId, state);
    return ended;
  }
}
