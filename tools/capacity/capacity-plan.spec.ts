import { RedisKeys } from '@inventory/stock/counters-and-cache';
import { DEFAULT_INPUTS, planStorm, type UnitCosts } from './capacity-plan';
import { DEFAULT_DAY } from './redis-key-families';

const unit: UnitCosts = {
  measured_at: '2026-12-03',
  command: 'test',
  worker_cpu_s_per_sku_checked: 0.00004,
  worker_cpu_s_per_sku_written: 0.0002,
  worker_cpu_s_per_pod_second: 0,
  events_cpu_s_per_record: 0.00001,
  events_records_per_s_here: 2_000,
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
    // The fixture's units: 30M records × 10 µs on one pod's 0.8 core is 375 s, twice the storm.
    expect(plan.events_consumer_s).toBeCloseTo(375, 6);
    expect(plan.events_pods_to_keep_pace).toBe(3);
    expect(plan.trace['measured']).toBe('test, 2026-12-03');
  });

  it("when the seed's storm is planned, then the table's default write quota is what binds it", () => {
    const plan = planStorm(seed, unit);
    expect(plan.binding).toMatch(/table's on-demand write quota/);
    expect(plan.limits.find((limit) => limit.limit.startsWith("the table's on-demand write"))?.use).toBeCloseTo(
      (30_000_000 * 1.3) / 180 / 40_000,
      9,
    );
  });

  it('when the storm is ten times the stores, then cost and pods grow tenfold; with the quotas raised (and the events consumer aside) one totals share binds, sixteen do not', () => {
    const base = planStorm(seed, unit);
    const tenfold = planStorm({ ...seed, stores: 300_000 }, unit);
    expect(tenfold.wcu_per_s).toBeCloseTo(base.wcu_per_s * 10, 6);
    expect(tenfold.worker_pods).toBe(Math.ceil((12_000 * 10) / 144));
    expect(base.worker_pods).toBe(Math.ceil(12_000 / 144));
    expect(tenfold.totals_scripts_per_s).toBeCloseTo(base.totals_scripts_per_s * 10, 6);
    const raised = { ...seed, stores: 300_000, table_wcu_quota: 3_000_000, table_rcu_quota: 3_000_000 };
    const consumerAside = { ...unit, events_cpu_s_per_record: 0 };
    expect(planStorm({ ...raised, totals_shards: 1 }, consumerAside).binding).toMatch(/\{totals-N\} share's shard/);
    expect(planStorm(raised, consumerAside).binding).toMatch(/partition/);
  });

  it("when a pod spends upkeep every second of the storm, then that much less of its allowance goes to SKUs, and the plan's CPU counts every pod's upkeep", () => {
    const plan = planStorm(seed, { ...unit, worker_cpu_s_per_pod_second: 0.2 });
    // 12,000 s of SKUs over 180 s × (0.8 − 0.2) = 108 s a pod → 112 pods, who spend 36 s each on upkeep.
    expect(plan.worker_pods).toBe(112);
    expect(plan.worker_cpu_s).toBeCloseTo(12_000 + 112 * 36, 6);
    expect(() => planStorm(seed, { ...unit, worker_cpu_s_per_pod_second: 0.8 })).toThrow(/fills its allowance/);
  });

  it('when the quotas are raised, then the one events consumer is what binds the seed storm: it needs longer than the storm', () => {
    const plan = planStorm({ ...seed, table_wcu_quota: 1e9, table_rcu_quota: 1e9 }, unit);
    expect(plan.binding).toMatch(/the one events consumer/);
    expect(plan.limits.find((limit) => limit.limit.startsWith('the one events consumer'))?.use).toBeCloseTo(375 / 180, 9);
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
