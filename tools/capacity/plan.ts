/**
 * `npm run capacity:plan -- --stores 30000 --skus 5000 --duration 180 [--change-ratio 0.2]
 * [--target-cpu 0.8] [--pod-cores 1] [--reads 30000] [--peak-writes 5000] [--usd-per-million-wcu …] [--usd-per-million-rcu …]
 * [--usd-per-vcpu-hour …]`: the storm's capacity plan from `unit-costs.json`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CapacityPlan,
  DEFAULT_INPUTS,
  DEFAULT_PRICES,
  type EventsUnitCosts,
  planStorm,
  PRICES_AS_OF,
  type UnitCosts,
} from './capacity-plan';
import { DEFAULT_DAY } from './redis-key-families';

const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));

export function formatPlan(plan: CapacityPlan): string {
  const { inputs } = plan;
  const n = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits });
  return [
    `Storm: ${n(inputs.stores)} stores × ${n(inputs.skus_per_store)} SKUs in ${inputs.duration_s} s, change ratio ${inputs.change_ratio}`,
    `| what | plan |`,
    `|---|---|`,
    `| SKUs checked / written | ${n(plan.skus_checked)} / ${n(plan.skus_written)} |`,
    `| worker CPU | ${n(plan.worker_cpu_s)} core-s → **${n(plan.worker_pods)} pods** of ${inputs.pod_cores} core at ${inputs.target_cpu * 100}% |`,
    `| DynamoDB | **${n(plan.wcu_per_s)} WCU/s**, ${n(plan.rcu_per_s)} RCU/s (on demand) |`,
    `| per store | ${plan.store_write_s.toFixed(2)} s of writes at ${inputs.store_wcu_per_s} WCU/s (partition at ${n(plan.partition_wcu_per_s)} of ${inputs.partition_wcu_limit} WCU/s; its movement chunks meanwhile ${n(plan.movement_partition_wcu_per_s)} WCU/s in the movements table); ≥ ${n(plan.stores_in_flight)} stores in flight |`,
    `| events (the table's stream) | ${n(plan.events_records_per_s)} records/s, ${n(plan.events_consumer_cpu_s)} core-s of consumer CPU → **${plan.events_pods_for_storm} consumer pods** of ${inputs.events_pod_cores} core at ${inputs.target_cpu * 100}%, the storm's last events ${n(plan.events_trail_s)} s after it ends (≤ ${inputs.events_trail_s} s); ≥ ${n(plan.stream_shards)} shards to share |`,
    `| events on a normal day's peak | ${n(plan.day.peak_writes_per_s)} writes/s → **${plan.events_pods_for_peak} consumer pods** of ${inputs.events_pod_cores} core, each ${(plan.events_peak_use * 100).toFixed(0)}% busy, lag ≈ ${plan.events_peak_lag_s.toFixed(1)} s (≤ ${inputs.events_lag_s} s) |`,
    `| MemoryDB | ${n(plan.redis_bytes / 2 ** 30, 1)} GiB → **${plan.redis_shards} shard(s)** |`,
    `| the totals (${inputs.totals_shards} shares, {totals-N}) | ${n(plan.totals_scripts_per_s)} settle scripts/s per share; ${n(plan.totals_marker_bytes / 2 ** 20)} MiB of markers in all |`,
    `| BullMQ | ${n(plan.bullmq_commands_per_s)} commands/s |`,
    `| API pods for ${n(inputs.reads_per_s)} cached reads/s | ${plan.api_pods} |`,
    `| cost of one storm | $${plan.storm_cost_usd.total.toFixed(2)} (writes $${plan.storm_cost_usd.dynamodb_writes.toFixed(2)}, reads $${plan.storm_cost_usd.dynamodb_reads.toFixed(2)}, worker CPU $${plan.storm_cost_usd.worker_cpu.toFixed(2)}) |`,
    `| binding limit | ${plan.binding} |`,
    '',
    ...plan.limits.map((limit) => `- ${limit.limit}: ${(limit.use * 100).toFixed(1)}% used`),
    ...Object.entries(plan.trace).map(([figure, product]) => `- ${figure} = ${product}`),
    '',
    `MemoryDB, every key family (a day's traffic with the storm's keys on top):`,
    `| family | key | each | lifetime | at once | bytes |`,
    `|---|---|---|---|---|---:|`,
    ...plan.key_families.map(
      (family) =>
        `| ${family.family} | \`${family.key}\` | ${family.bytes_each} | ${family.lifetime} | ${n(family.count)} (${family.count_from}) | ${n(family.bytes / 2 ** 20, 1)} MiB |`,
    ),
  ].join('\n');
}

/** The unit costs the last measuring runs wrote: `npm run capacity:measure`'s and the events consumer benchmark's. */
export function measuredUnitCosts(): UnitCosts & EventsUnitCosts {
  const read = (file: string) => JSON.parse(readFileSync(join(__dirname, file), 'utf8')) as Record<string, unknown>;
  return { ...read('unit-costs.json'), ...read('events-unit-costs.json') } as unknown as UnitCosts & EventsUnitCosts;
}

function main() {
  const { values } = parseArgs({
    options: Object.fromEntries(
      [
        'stores',
        'skus',
        'duration',
        'change-ratio',
        'target-cpu',
        'pod-cores',
        'reads',
        'peak-writes',
        'usd-per-million-wcu',
        'usd-per-million-rcu',
        'usd-per-vcpu-hour',
      ].map((name) => [name, { type: 'string' as const }]),
    ),
  });
  const unit = measuredUnitCosts();
  const plan = planStorm(
    {
      ...DEFAULT_INPUTS,
      stores: number(values['stores'], 30_000),
      skus_per_store: number(values['skus'], 5_000),
      duration_s: number(values['duration'], 180),
      change_ratio: number(values['change-ratio'], DEFAULT_INPUTS.change_ratio),
      target_cpu: number(values['target-cpu'], DEFAULT_INPUTS.target_cpu),
      pod_cores: number(values['pod-cores'], DEFAULT_INPUTS.pod_cores),
      reads_per_s: number(values['reads'], DEFAULT_INPUTS.reads_per_s),
    },
    unit,
    {
      usd_per_million_write_units: number(values['usd-per-million-wcu'], DEFAULT_PRICES.usd_per_million_write_units),
      usd_per_million_read_units: number(values['usd-per-million-rcu'], DEFAULT_PRICES.usd_per_million_read_units),
      usd_per_vcpu_hour: number(values['usd-per-vcpu-hour'], DEFAULT_PRICES.usd_per_vcpu_hour),
    },
    { ...DEFAULT_DAY, peak_writes_per_s: number(values['peak-writes'], DEFAULT_DAY.peak_writes_per_s) },
  );
  process.stdout.write(`${formatPlan(plan)}\n- prices: ${PRICES_AS_OF}\n`);
}

if (require.main === module) main();
