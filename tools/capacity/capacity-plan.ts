/**
 * The Restock Storm's capacity plan, from unit costs measured here (`unit-costs.json`, written by
 * `npm run capacity:measure`) and prices given as parameters. Pure arithmetic: every figure of a
 * plan is a product of an input and a measured unit cost, named in `trace`.
 */
import { DEFAULT_DAY, type DayInputs, type KeyFamily, redisKeyFamilies } from './redis-key-families';

/** What one SKU, store, job or request costs, as measured (unit-costs.ts). */
export interface UnitCosts {
  measured_at: string;
  command: string;
  /** Worker CPU seconds per SKU checked (hashing, validation: every SKU of every store). */
  worker_cpu_s_per_sku_checked: number;
  /** Worker CPU seconds more per SKU written (the write, its movement, the counters). */
  worker_cpu_s_per_sku_written: number;
  /** Worker CPU seconds a pod spends each second a storm runs, whatever it processes (its jobs' upkeep). */
  worker_cpu_s_per_pod_second: number;
  /** DynamoDB write units per SKU written: the item (with its movement) and its share of the store's movement chunks. */
  wcu_per_sku_written: number;
  /** Of those, the units of the movement chunks: the movements table, in the store's partition there. */
  movement_wcu_per_sku_written: number;
  /** DynamoDB read units per SKU the storm reads (its state, a strongly consistent Query). */
  rcu_per_sku_read: number;
  /** Redis bytes per SKU of counter state (the per-store hash). */
  redis_bytes_per_sku_counter: number;
  /** Redis bytes of one store's cached answer (gzip and identity), per SKU. */
  redis_bytes_per_sku_cached: number;
  /** Redis bytes per SKU entry of a store's change log (delta reads). */
  redis_bytes_per_change_log_entry: number;
  /** Redis bytes per queued restock job. */
  redis_bytes_per_job: number;
  /** Redis bytes per totals marker (one per counters apply, kept a week, in the store's `{totals-N}` share). */
  redis_bytes_per_totals_marker: number;
  /** Redis bytes per webhook delivery job kept (a day after delivery). */
  redis_bytes_per_delivery_job: number;
  /** Redis commands per restock job over its life (add, take, lock renewals, complete). */
  bullmq_commands_per_job: number;
  /** Bytes of a store's whole answer, per SKU. */
  answer_bytes_per_sku_identity: number;
  answer_bytes_per_sku_gzip: number;
  /** Cached store reads one query-api core serves a second (gzip), from the benchmark README. */
  cached_reads_per_core_per_s: number;
}

/** The events consumer's costs (`events-unit-costs.json`, written by `npm run bench -- events-consumers`). */
export interface EventsUnitCosts {
  /** The command, date and rounds of the measuring run. */
  events_measured: string;
  /** Consumer CPU seconds per storm record (it carries its movement), no deliveries. */
  events_cpu_s_per_storm_record: number;
  /** Consumer CPU seconds per API-write record (its movement read with the page's, in batches), no deliveries. */
  events_cpu_s_per_api_record: number;
}

/** On-demand list prices; the defaults are dated in `PRICES_AS_OF` and meant to be overridden. */
export interface Prices {
  usd_per_million_write_units: number;
  usd_per_million_read_units: number;
  usd_per_vcpu_hour: number;
}

export const PRICES_AS_OF =
  'AWS us-east-1 list prices as last published before this repository was written (not checked online: no network here)';
export const DEFAULT_PRICES: Prices = {
  usd_per_million_write_units: 0.625,
  usd_per_million_read_units: 0.125,
  usd_per_vcpu_hour: 0.04,
};

export interface StormInputs {
  stores: number;
  skus_per_store: number;
  /** Share of SKUs the manifest changes (what the storm writes). */
  change_ratio: number;
  duration_s: number;
  /** CPU the worker holds of its allowance (the storm's `target_cpu`, 0–1). */
  target_cpu: number;
  /** Cores per worker pod. */
  pod_cores: number;
  /** Store reads a second the APIs must serve meanwhile (cached). */
  reads_per_s: number;
  /** Write units a second one store may take (`RESTOCK_STORE_WCU_PER_SECOND`). */
  store_wcu_per_s: number;
  /** One partition's write limit (DynamoDB: 1,000 WCU/s). */
  partition_wcu_limit: number;
  /** The table's on-demand throughput quotas (AWS's default per table: 40,000 each; raised on request). */
  table_wcu_quota: number;
  table_rcu_quota: number;
  /** Memory of one MemoryDB shard's primary usable for data (bytes). */
  shard_memory_bytes: number;
  /** Cores an events consumer pod is given (its CPU request). */
  events_pod_cores: number;
  /** How long after the storm its last record's events may come (webhooks, low-stock alerts). */
  events_trail_s: number;
  /** The events lag a normal day's peak must stay under. */
  events_lag_s: number;
  /** A consumer's pause after a round that brought nothing (`EVENTS_IDLE_MS`), and the calls' time a round takes at least (its GetRecords, batched reads, checkpoint). */
  events_idle_s: number;
  events_round_s: number;
  /** Lua scripts a second one Redis shard runs (the totals' settle: ~6 commands each). */
  shard_scripts_per_s: number;
  /** Delta-log SKUs kept per store (`DELTA_LOG_MAX_SKUS`). */
  change_log_skus: number;
  /** SKUs per counters apply in a storm job (the processor's slice). */
  skus_per_apply: number;
  /** Shares the platform totals are kept in, each its own slot (`TOTALS_SHARDS`). */
  totals_shards: number;
}

export const DEFAULT_INPUTS: Omit<StormInputs, 'stores' | 'skus_per_store' | 'duration_s'> = {
  change_ratio: 0.2,
  target_cpu: 0.8,
  pod_cores: 1,
  reads_per_s: 30_000,
  store_wcu_per_s: 800,
  partition_wcu_limit: 1_000,
  table_wcu_quota: 40_000,
  table_rcu_quota: 40_000,
  shard_memory_bytes: 0.75 * 26.32 * 2 ** 30,
  shard_scripts_per_s: 20_000,
  change_log_skus: 500,
  skus_per_apply: 250,
  totals_shards: 16,
  events_pod_cores: 0.5,
  events_trail_s: 300,
  events_lag_s: 5,
  events_idle_s: 0.5,
  // ~10 calls a round at AWS's single-digit milliseconds each.
  events_round_s: 0.05,
};

export interface CapacityPlan {
  inputs: StormInputs;
  day: DayInputs;
  skus_checked: number;
  skus_written: number;
  worker_cpu_s: number;
  worker_pods: number;
  wcu_per_s: number;
  rcu_per_s: number;
  /** How long one store's writes take at its pace, and the stores that must be in flight at once. */
  store_write_s: number;
  stores_in_flight: number;
  partition_wcu_per_s: number;
  /** A store's movement chunks, in its partition of the movements table, while its items are written. */
  movement_partition_wcu_per_s: number;
  /** Stream records a second (one per SKU written), and the consumers' CPU for the storm's. */
  events_records_per_s: number;
  events_consumer_cpu_s: number;
  /** Consumer pods (the stream's shards shared among them) for the storm's events to end within `events_trail_s` of it, and how long they trail. */
  events_pods_for_storm: number;
  events_trail_s: number;
  /** The stream's shards during the storm, at least (one per partition's 1,000 WCU/s): more pods than shards read nothing more. */
  stream_shards: number;
  /** A normal day's peak (`DayInputs.peak_writes_per_s`): consumer pods to hold it, their CPU use, and the lag that leaves. */
  events_pods_for_peak: number;
  events_peak_use: number;
  events_peak_lag_s: number;
  /** MemoryDB: every key family (a day's traffic with a storm's keys on top), their sum, and the shards it needs. */
  key_families: KeyFamily[];
  redis_bytes: number;
  redis_shards: number;
  totals_scripts_per_s: number;
  totals_marker_bytes: number;
  bullmq_commands_per_s: number;
  api_pods: number;
  storm_cost_usd: { dynamodb_writes: number; dynamodb_reads: number; worker_cpu: number; total: number };
  /** What limits this storm first, with the headroom left on each limit (1 = at the limit). */
  binding: string;
  limits: Array<{ limit: string; use: number }>;
  /** Each figure, and the product it is. */
  trace: Record<string, string>;
}

/**
 * Lag at a steady rate, a fluid model: each round takes what came during the one before, its work
 * `use` of the round plus the calls' time, plus the pause when a round found nothing; a record waits
 * at most a round. round = (idle + calls) / (1 − use).
 */
export function steadyLagS(use: number, idleS: number, roundS: number): number {
  return use >= 1 ? Infinity : (idleS + roundS) / (1 - use);
}

export function planStorm(
  inputs: StormInputs,
  unit: UnitCosts & EventsUnitCosts,
  prices: Prices = DEFAULT_PRICES,
  day: DayInputs = DEFAULT_DAY,
): CapacityPlan {
  const checked = inputs.stores * inputs.skus_per_store;
  const written = checked * inputs.change_ratio;
  const skuCpu = checked * unit.worker_cpu_s_per_sku_checked + written * unit.worker_cpu_s_per_sku_written;
  // Each pod also spends its upkeep every second of the storm: what is left of its allowance goes to SKUs.
  const podShare = inputs.pod_cores * inputs.target_cpu - unit.worker_cpu_s_per_pod_second;
  if (podShare <= 0) throw new Error(`a pod's upkeep (${unit.worker_cpu_s_per_pod_second} core) fills its allowance`);
  const workerPods = Math.ceil(skuCpu / (inputs.duration_s * podShare));
  const cpu = skuCpu + workerPods * unit.worker_cpu_s_per_pod_second * inputs.duration_s;
  const wcu = written * unit.wcu_per_sku_written;
  const rcu = checked * unit.rcu_per_sku_read;
  // The pace holds a store's items; its movement chunks go to the movements table, flushed in step.
  const storeWrittenSkus = inputs.skus_per_store * inputs.change_ratio;
  const itemWcuPerSku = unit.wcu_per_sku_written - unit.movement_wcu_per_sku_written;
  const storeWcu = storeWrittenSkus * itemWcuPerSku;
  const storeWriteS = storeWcu / inputs.store_wcu_per_s;
  const movementPartitionWcu = (storeWrittenSkus * unit.movement_wcu_per_sku_written) / Math.max(storeWriteS, 1e-9);
  const storesInFlight = Math.ceil((inputs.stores * storeWriteS) / inputs.duration_s);
  const partitionWcu = Math.min(inputs.store_wcu_per_s, storeWcu / Math.max(storeWriteS, 1e-9));
  // The consumers share the stream's shards by lease: pods enough that the storm's records are taken
  // within the storm and the trail after it, each pod at its allowance.
  const podCpu = inputs.events_pod_cores * inputs.target_cpu;
  const eventsCpuS = written * unit.events_cpu_s_per_storm_record;
  const eventsPodsForStorm = Math.max(1, Math.ceil(eventsCpuS / (podCpu * (inputs.duration_s + inputs.events_trail_s))));
  const eventsTrailS = Math.max(0, eventsCpuS / (eventsPodsForStorm * podCpu) - inputs.duration_s);
  const streamShards = Math.ceil((written * unit.wcu_per_sku_written) / inputs.duration_s / inputs.partition_wcu_limit);
  const peakCpu = day.peak_writes_per_s * unit.events_cpu_s_per_api_record;
  const eventsPodsForPeak = Math.max(1, Math.ceil(peakCpu / podCpu));
  const peakUse = peakCpu / (eventsPodsForPeak * inputs.events_pod_cores);
  const applies = inputs.stores * Math.ceil(inputs.skus_per_store / inputs.skus_per_apply);
  // Each store settles into its own share: the busiest share takes about 1/shards of them.
  const totalsScripts = applies / inputs.duration_s / inputs.totals_shards;
  const keyFamilies = redisKeyFamilies(inputs, day, unit);
  const redisBytes = keyFamilies.reduce((sum, family) => sum + family.bytes, 0);
  const familyBytes = (family: string) => keyFamilies.find((row) => row.family === family)?.bytes ?? 0;
  const totalsBytes = familyBytes('totalsSettled');
  // The queues and storm records share the `{restock}` hash tag: one slot, so one shard holds them all.
  const restockSlotBytes = keyFamilies.filter((row) => row.key.startsWith('{restock}')).reduce((sum, row) => sum + row.bytes, 0);
  const redisShards = Math.max(1, Math.ceil(redisBytes / inputs.shard_memory_bytes));
  const bullmq = (inputs.stores * unit.bullmq_commands_per_job) / inputs.duration_s;
  const apiPods = Math.ceil(inputs.reads_per_s / (unit.cached_reads_per_core_per_s * inputs.target_cpu));
  const writesUsd = (wcu / 1e6) * prices.usd_per_million_write_units;
  const readsUsd = (rcu / 1e6) * prices.usd_per_million_read_units;
  const cpuUsd = ((workerPods * inputs.pod_cores * inputs.duration_s) / 3600) * prices.usd_per_vcpu_hour;
  const limits = [
    { limit: `the table's on-demand write quota (${inputs.table_wcu_quota} WCU/s)`, use: wcu / inputs.duration_s / inputs.table_wcu_quota },
    { limit: `the table's on-demand read quota (${inputs.table_rcu_quota} RCU/s)`, use: rcu / inputs.duration_s / inputs.table_rcu_quota },
    {
      limit: `one store's writes within the storm (${storeWriteS.toFixed(2)} s of ${inputs.duration_s} s)`,
      use: storeWriteS / inputs.duration_s,
    },
    {
      limit: `a partition's ${inputs.partition_wcu_limit} WCU/s (paced at ${inputs.store_wcu_per_s})`,
      use: partitionWcu / inputs.partition_wcu_limit,
    },
    {
      limit: `a store's movement chunks: its partition of the movements table (${Math.round(movementPartitionWcu)} of ${inputs.partition_wcu_limit} WCU/s, unpaced, in step with the items' pace)`,
      use: movementPartitionWcu / inputs.partition_wcu_limit,
    },
    {
      limit: `the stream's shards: ${eventsPodsForStorm} events pods read at most ${streamShards} shards (a pod needs one)`,
      use: eventsPodsForStorm / streamShards,
    },
    {
      limit: `a {totals-N} share's shard (${Math.round(totalsScripts)} settle scripts/s of ${inputs.shard_scripts_per_s})`,
      use: totalsScripts / inputs.shard_scripts_per_s,
    },
    {
      limit: `a {totals-N} share's memory (${(totalsBytes / inputs.totals_shards / 2 ** 20).toFixed(0)} MB of one shard)`,
      use: totalsBytes / inputs.totals_shards / inputs.shard_memory_bytes,
    },
    {
      limit: `the {restock} slot's memory: queues and storm records (${(restockSlotBytes / 2 ** 20).toFixed(0)} MB of one shard)`,
      use: restockSlotBytes / inputs.shard_memory_bytes,
    },
  ];
  const binding = limits.reduce((worst, limit) => (limit.use > worst.use ? limit : worst));
  return {
    inputs,
    day,
    skus_checked: checked,
    skus_written: written,
    worker_cpu_s: cpu,
    worker_pods: workerPods,
    wcu_per_s: wcu / inputs.duration_s,
    rcu_per_s: rcu / inputs.duration_s,
    store_write_s: storeWriteS,
    stores_in_flight: storesInFlight,
    partition_wcu_per_s: partitionWcu,
    movement_partition_wcu_per_s: movementPartitionWcu,
    events_records_per_s: written / inputs.duration_s,
    events_consumer_cpu_s: eventsCpuS,
    events_pods_for_storm: eventsPodsForStorm,
    events_trail_s: eventsTrailS,
    stream_shards: streamShards,
    events_pods_for_peak: eventsPodsForPeak,
    events_peak_use: peakUse,
    events_peak_lag_s: steadyLagS(peakUse, inputs.events_idle_s, inputs.events_round_s),
    key_families: keyFamilies,
    redis_bytes: redisBytes,
    redis_shards: redisShards,
    totals_scripts_per_s: totalsScripts,
    totals_marker_bytes: totalsBytes,
    bullmq_commands_per_s: bullmq,
    api_pods: apiPods,
    storm_cost_usd: { dynamodb_writes: writesUsd, dynamodb_reads: readsUsd, worker_cpu: cpuUsd, total: writesUsd + readsUsd + cpuUsd },
    binding: binding.limit,
    limits,
    trace: {
      worker_pods: `(${checked} SKUs × ${unit.worker_cpu_s_per_sku_checked} s + ${written} written × ${unit.worker_cpu_s_per_sku_written} s) / (${inputs.duration_s} s × (${inputs.pod_cores} core × ${inputs.target_cpu} − ${unit.worker_cpu_s_per_pod_second} upkeep))`,
      wcu_per_s: `${written} written × ${unit.wcu_per_sku_written} WCU / ${inputs.duration_s} s`,
      rcu_per_s: `${checked} read × ${unit.rcu_per_sku_read} RCU / ${inputs.duration_s} s`,
      events_pods_for_storm: `${written} records × ${unit.events_cpu_s_per_storm_record} s / ((${inputs.duration_s} s + ${inputs.events_trail_s} s) × ${inputs.events_pod_cores} core × ${inputs.target_cpu})`,
      events_trail_s: `${written} records × ${unit.events_cpu_s_per_storm_record} s / (${eventsPodsForStorm} pods × ${inputs.events_pod_cores} core × ${inputs.target_cpu}) − ${inputs.duration_s} s`,
      events_pods_for_peak: `${day.peak_writes_per_s} writes/s × ${unit.events_cpu_s_per_api_record} s / (${inputs.events_pod_cores} core × ${inputs.target_cpu})`,
      events_peak_lag_s: `(${inputs.events_idle_s} s idle + ${inputs.events_round_s} s of calls) / (1 − ${peakUse.toFixed(2)} of each pod's CPU busy)`,
      redis_bytes: `the sum of the key families (a day's traffic with a storm's keys on top), each its count × its bytes`,
      totals_scripts_per_s: `${inputs.stores} stores × ${Math.ceil(inputs.skus_per_store / inputs.skus_per_apply)} applies / ${inputs.duration_s} s / ${inputs.totals_shards} shares`,
      api_pods: `${inputs.reads_per_s} reads/s / (${unit.cached_reads_per_core_per_s} per core × ${inputs.target_cpu})`,
      measured: `${unit.command}, ${unit.measured_at}; events: ${unit.events_measured}`,
    },
  };
}
