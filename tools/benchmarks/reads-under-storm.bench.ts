/**
 * Benchmark: hot reads and updates with and without a Restock Storm, in one run. The
 * local stack (seeded 40 stores × 1,000 SKUs), the load mix of load-profile.json at --scale 0.25,
 * rounds in pairs back to back: a quiet run, then a run with a storm over every store started at
 * once. The worker is held to one core (`taskset`: core 1, its deployed allowance), the APIs to the
 * other (core 0), so a storm competes for what it would share in a cluster — DynamoDB and Redis —
 * and not for the APIs' CPU. Reports p50/p95/p99 per scenario and the p99 ratio (storm / quiet).
 * Env: BENCH_SECONDS (per run, default 20), BENCH_ROUNDS (default 3).
 */
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '../local-stack/local-stack';
import { readLoadProfile } from '../load-testing/load-profile';
import { type LocalLoadReport, runLocalLoad } from '../load-testing/local-load';
import { BENCH_ENV, pinToCore, runBenchmark } from './processes';
import { median } from './stats';
import { createInventoryClient } from '@inventory/client';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const STORES = 40;
const SKUS = 1_000;
const SCALE = 0.25;
const TOKEN = 'reads-under-storm-admin-key-0123456789abcdef';

/** Waits for the storm to end; answers how long it ran and what it wrote. */
async function stormDone(stack: LocalStack, statusUrl: string | undefined): Promise<string> {
  if (!statusUrl) return 'was not started';
  for (;;) {
    const api = createInventoryClient({ baseUrl: stack.gatewayUrl, credential: TOKEN });
    const { data: record } = await api.GET('/stress/restock/{stormId}', {
      params: { path: { stormId: statusUrl.split('/').at(-1) ?? '' } },
    });
    if (!record) throw new Error(`the storm's status did not answer (${statusUrl})`);
    if (record.state !== 'running') return `${record.state} in ${record.elapsed_seconds} s (${record.skus_written} SKUs written)`;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main() {
  const stack = await startLocalStack({
    gatewayPort: 0,
    appPorts: { 'query-api': 0, 'write-api': 0, 'restock-worker': 0, 'events-consumer': 0 },
    dynamoPort: 0,
    redisUrl: process.env['REDIS_URL'],
    redisKeyPrefix: `under-storm-${process.pid}`,
    restockQueuePrefix: `{under-storm-${process.pid}}`,
    adminKey: TOKEN,
    seed: { stores: STORES, skusPerStore: SKUS },
    workspaceRoot: join(__dirname, '..', '..'),
    logLevel: 'warn',
    log: () => undefined,
    appEnv: BENCH_ENV,
  });
  try {
    pinToCore(stack.pids['restock-worker'], 1);
    for (const app of ['query-api', 'write-api', 'events-consumer'] as const) pinToCore(stack.pids[app], 0);
    const base = readLoadProfile();
    const profile = { ...base, stores: STORES, hot_stores: STORES / 4, skus_per_store: SKUS };
    const load = (withStorm: boolean): Promise<LocalLoadReport> =>
      runLocalLoad({
        baseUrl: stack.gatewayUrl,
        profile: withStorm ? { ...profile, storm: { ...profile.storm, at_seconds: 0 } } : profile,
        seconds: SECONDS,
        rateScale: SCALE,
        credential: TOKEN,
        storm: withStorm ? { stores: STORES, skus_per_store: SKUS } : undefined,
      });
    process.stderr.write('warming up...\n');
    await load(false);
    const rounds: Array<{ quiet: LocalLoadReport; storm: LocalLoadReport }> = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const quiet = await load(false);
      const storm = await load(true);
      const ended = await stormDone(stack, storm.storm_status_url);
      rounds.push({ quiet, storm });
      process.stderr.write(`round ${round}: the storm ${ended}\n`);
    }
    const of = (report: LocalLoadReport, scenario: string) => report.scenarios.find((result) => result.scenario === scenario);
    const lines = [
      '| scenario | quiet p50 / p95 / p99 ms (median) | storm p50 / p95 / p99 ms (median) | p99 ratio storm / quiet (rounds) | median ratio | errors quiet / storm |',
      '|---|---:|---:|---|---:|---:|',
    ];
    for (const scenario of ['hot_reads', 'cold_reads', 'updates']) {
      const quiet = rounds.map((r) => of(r.quiet, scenario));
      const storm = rounds.map((r) => of(r.storm, scenario));
      const med = (list: typeof quiet, field: 'p50_ms' | 'p95_ms' | 'p99_ms') =>
        median(list.map((result) => result?.[field] ?? 0)).toFixed(1);
      const ratios = rounds.map((_, i) => (storm[i]?.p99_ms ?? 0) / Math.max(quiet[i]?.p99_ms ?? 0, 0.001));
      const errors = (list: typeof quiet) => list.reduce((sum, result) => sum + (result?.errors ?? 0), 0);
      lines.push(
        `| ${scenario} | ${med(quiet, 'p50_ms')} / ${med(quiet, 'p95_ms')} / ${med(quiet, 'p99_ms')} | ${med(storm, 'p50_ms')} / ${med(storm, 'p95_ms')} / ${med(storm, 'p99_ms')} | ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')} | **${median(ratios).toFixed(2)}×** | ${errors(quiet)} / ${errors(storm)} |`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stdout.write(
      `requests per run: ${rounds[0]?.quiet.scenarios.map((result) => `${result.scenario} ${result.requests}`).join(', ')}\n`,
    );
  } finally {
    await stack.stop();
  }
}

runBenchmark(main);
