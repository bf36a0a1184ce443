import { RedisKeys } from '@inventory/stock/counters-and-cache';
import { DEFAULT_INPUTS, DEFAULT_PRICES, type EventsUnitCosts, planStorm, steadyLagS, type UnitCosts } from './capacity-plan';
import { DEFAULT_DAY } from './redis-key-families';

const unit: UnitCosts & EventsUnitCosts = {
  measured_at: '2026-12-03',
  command: 'test',
  worker_cpu_s_per_sku_checked: 0.00004,
  worker_cpu_s_per_sku_written: 0.0002,
  worker_cpu_s_per_pod_second: 0,
  wcu_per_sku_written: 1.3,
  movement_wcu_per_sku_written: 0.3,
  rcu_per_sku_read: 0.14,
  redis_bytes_per_sku_counter: 70,
  redis_bytes_per_sku_cached: 6,
  redis_bytes_per_change_log_entry: 110,
  redis_bytes_per_job: 1_200,
  redis_bytes_per_totals_marker: 100,
  redis_bytes_per_delivery_job: 1_250,
  bullmq_commands_per_job: 40,
  answer_bytes_per_sku_identity: 90,
  answer_bytes_per_sku_gzip: 5.5,
  cached_reads_per_core_per_s: 3_000,
  events_measured: 'events test',
  events_cpu_s_per_storm_record: 0.0001,
  events_cpu_s_per_api_record: 0.0002,
};
const seed = { ...DEFAULT_INPUTS, stores: 30_000, skus_per_store: 5_000, duration_s: 180 };

describe('the capacity plan', () => {
  it("when the seed's storm is planned, then each figure is its measured unit cost times the storm", () => {
    const plan = planStorm(seed, unit, { usd_per_million_write_units: 1, usd_per_million_read_units: 1, usd_per_vcpu_hour: 1 });
    expect(plan.skus_checked).toBe(150_000_000);
    expect(plan.skus_written).toBe(30_000_000);
    // (150M × 40 µs + 30M × 200 µs) / (180 s × 1 core × 0.8) = 12,000 / 144 → 84 pods.
    expect(plan.worker_pods).toBe(Math.ceil(12_000 / 144));
    expect(plan.wcu_per_s).toBeCloseTo((30_000_000 * 1.3) / 180, 6);
    expect(plan.rcu_per_s).toBeCloseTo((150_000_000 * 0.14) / 180, 6);
    // The pace holds the items (1 WCU a SKU); the chunks' 0.3 go to the movements table meanwhile.
    expect(plan.store_write_s).toBeCloseTo((5_000 * 0.2 * 1) / 800, 9);
    expect(plan.movement_partition_wcu_per_s).toBeCloseTo((1_000 * 0.3) / 1.25, 9);
    expect(plan.storm_cost_usd.dynamodb_writes).toBeCloseTo(39, 9);
    expect(plan.storm_cost_usd.dynamodb_reads).toBeCloseTo(21, 9);
    expect(plan.totals_scripts_per_s).toBeCloseTo((30_000 * 20) / 180 / 16, 9);
    // The fixture's units: 30M records × 100 µs = 3,000 core-s, over pods of 0.5 core at 0.8 for the
    // storm's 180 s and the 300 s after it: 3,000 / 192 → 16 pods.
    expect(plan.events_consumer_cpu_s).toBeCloseTo(3_000, 6);
    expect(plan.events_pods_for_storm).toBe(16);
    expect(plan.events_trail_s).toBeCloseTo(3_000 / (16 * 0.4) - 180, 6);
    expect(plan.stream_shards).toBe(Math.ceil((30_000_000 * 1.3) / 180 / 1_000));
    expect(plan.trace['measured']).toBe('test, 2026-12-03; events: events test');
  });

  it("when the seed's storm is planned, then the table's default write quota is what binds it", () => {
    const plan = planStorm(seed, unit);
    expect(plan.binding).toMatch(/table's on-demand write quota/);
    expect(plan.limits.find((limit) => limit.limit.startsWith("the table's on-demand write"))?.use).toBeCloseTo(
      (30_000_000 * 1.3) / 180 / 40_000,
      9,
    );
  });

  it("when the seed's storm is planned, then its events end within 5 minutes of it with the consumer pods named, and one pod fewer would trail longer", () => {
    const plan = planStorm(seed, unit);
    expect(plan.events_trail_s).toBeLessThanOrEqual(300);
    expect(3_000 / ((plan.events_pods_for_storm - 1) * 0.4) - 180).toBeGreaterThan(300);
    // A pod needs a shard: the storm's write rate spreads the stream over far more shards than pods.
    expect(plan.limits.find((limit) => limit.limit.startsWith("the stream's shards"))?.use).toBeCloseTo(16 / plan.stream_shards, 9);
  });

  it('when a normal day peaks at 5,000 writes/s, then the consumer pods it needs hold the lag under 5 s; twice the peak, twice the CPU, the lag still under 5 s', () => {
    const plan = planStorm(seed, unit);
    // 5,000 × 200 µs = 1 core of consumer CPU; pods of 0.5 core at 0.8 → 3, each 2/3 busy.
    expect(plan.events_pods_for_peak).toBe(3);
    expect(plan.events_peak_use).toBeCloseTo(1 / 1.5, 9);
    expect(plan.events_peak_lag_s).toBeCloseTo((0.5 + 0.05) / (1 - 1 / 1.5), 9);
    expect(plan.events_peak_lag_s).toBeLessThanOrEqual(5);
    const doubled = planStorm(seed, unit, DEFAULT_PRICES, { ...DEFAULT_DAY, peak_writes_per_s: 10_000 });
    expect(doubled.events_pods_for_peak).toBe(5);
    expect(doubled.events_peak_lag_s).toBeLessThanOrEqual(5);
  });

  it('when a consumer is busier, then a round takes longer and the lag grows without bound as it nears its whole core', () => {
    expect(steadyLagS(0, 0.5, 0.05)).toBeCloseTo(0.55, 9);
    expect(steadyLagS(0.8, 0.5, 0.05)).toBeCloseTo(2.75, 9);
    expect(steadyLagS(0.99, 0.5, 0.05)).toBeGreaterThan(50);
    expect(steadyLagS(1, 0.5, 0.05)).toBe(Infinity);
  });

  it('when the storm is ten times the stores, then cost and pods grow tenfold; with the quotas raised one totals share binds, sixteen do not', () => {
    const base = planStorm(seed, unit);
    const tenfold = planStorm({ ...seed, stores: 300_000 }, unit);
    expect(tenfold.wcu_per_s).toBeCloseTo(base.wcu_per_s * 10, 6);
    expect(tenfold.worker_pods).toBe(Math.ceil((12_000 * 10) / 144));
    expect(base.worker_pods).toBe(Math.ceil(12_000 / 144));
    expect(tenfold.totals_scripts_per_s).toBeCloseTo(base.totals_scripts_per_s * 10, 6);
    const raised = { ...seed, stores: 300_000, table_wcu_quota: 3_000_000, table_rcu_quota: 3_000_000 };
    expect(planStorm({ ...raised, totals_shards: 1 }, unit).binding).toMatch(/\{totals-N\} share's shard/);
    expect(planStorm(raised, unit).binding).toMatch(/partition/);
    expect(tenfold.events_pods_for_storm).toBe(Math.ceil(30_000 / 192));
  });

  it("when a pod spends upkeep every second of the storm, then that much less of its allowance goes to SKUs, and the plan's CPU counts every pod's upkeep", () => {
    const plan = planStorm(seed, { ...unit, worker_cpu_s_per_pod_second: 0.2 });
    // 12,000 s of SKUs over 180 s × (0.8 − 0.2) = 108 s a pod → 112 pods, who spend 36 s each on upkeep.
    expect(plan.worker_pods).toBe(112);
    expect(plan.worker_cpu_s).toBeCloseTo(12_000 + 112 * 36, 6);
    expect(() => planStorm(seed, { ...unit, worker_cpu_s_per_pod_second: 0.8 })).toThrow(/fills its allowance/);
  });

  it("when one store's writes cannot fit the storm at its pace, then that is the binding limit", () => {
    const plan = planStorm(
      { ...seed, skus_per_store: 1_000_000, change_ratio: 1, stores: 10, table_wcu_quota: 1e9, table_rcu_quota: 1e9 },
      unit,
    );
    expect(plan.store_write_s).toBeGreaterThan(seed.duration_s);
    expect(plan.binding).toMatch(/one store's writes within the storm/);
  });

  it('when the plan lists MemoryDB, then every key RedisKeys names has a family with its bytes and lifetime, and the memory figure is their sum', () => {
    const plan = planStorm(seed, unit);
    const families = new Map(plan.key_families.map((family) => [family.family, family]));
    // Helpers that name no key of their own: a SCAN pattern, a key's parser, the totals' shares listed.
    const notKeys = new Set(['constructor', 'storeSummaryPattern', 'storeIdOfSummary', 'allTotals', 'totalsShare']);
    const named = Object.getOwnPropertyNames(RedisKeys.prototype).filter((name) => !notKeys.has(name));
    expect(named.filter((name) => !families.has(name))).toEqual([]);
    for (const family of plan.key_families) {
      expect(family.bytes_each).toMatch(/B/);
      expect(family.lifetime.length).toBeGreaterThan(3);
    }
    expect(plan.redis_bytes).toBe(plan.key_families.reduce((sum, family) => sum + family.bytes, 0));
    // Every API write leaves a totals mark for minutes, not a week: a day's 45 M writes hold ~156,000 marks at once.
    expect(families.get('totalsSettled')?.count).toBeCloseTo((DEFAULT_DAY.api_writes_per_day / 86_400) * 300 + 30_000 * 20, 6);
  });
});
