/**
 * The storm's scaling curves, measured in one run (`npm run capacity:scaling`):
 * - storm wall time and worker CPU against SKUs written, at four sizes, with 1 and 2 built
 *   restock-worker processes (`worker-bed.ts`: a fresh table each, warmed up), the median of
 *   BENCH_ROUNDS rounds (default 3) each;
 * - dispatch time at 1k, 10k, 30k and 100k stores;
 * - a store read's cost (RCU, ms) at 100, 1,000, 5,000 and 20,000 SKUs, on stores a storm wrote.
 * Each curve gets its least-squares slope and R²; beside each measurement, what the planner
 * predicts from `unit-costs.json` where it predicts it (worker CPU, read units).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { linearRegression, linearRegressionLine, rSquared } from 'simple-statistics';
import { storeIdOf } from '@inventory/domain/model';
import { createDynamoDbClient } from '@inventory/shared/dynamodb';
import { StoreInventoryRepository } from '@inventory/stock/inventory-table';
import { createRestockQueue } from '@inventory/restock/queue';
import { StormRecords } from '@inventory/restock/storm';
import { dispatchStorm } from '@inventory/restock/storm';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { startAppEnvironment } from '@inventory/service/built-apps';
import { BENCH_ENV, runBenchmark } from '../benchmarks/processes';
import { median } from '../benchmarks/stats';
import type { UnitCosts } from './capacity-plan';
import { type StormRun, startWorkerBed } from './worker-bed';
import { countConsumedCapacity } from './consumed-capacity';

const unit = JSON.parse(readFileSync(join(__dirname, 'unit-costs.json'), 'utf8')) as UnitCosts;
const STORM_SIZES: Array<[stores: number, skus: number]> = [
  [5, 1_000],
  [10, 1_000],
  [20, 1_000],
  [40, 1_000],
];
const STORM_ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const DISPATCH_STORES = [1_000, 10_000, 30_000, 100_000];
const READ_SKUS = [100, 1_000, 5_000, 20_000];

interface Point {
  x: number;
  /** The median of the rounds where there are several. */
  y: number;
  rounds?: number[];
  predicted?: number;
}

function curve(name: string, xName: string, yName: string, points: Point[]): string {
  const pairs = points.map((point) => [point.x, point.y]);
  const fit = linearRegression(pairs);
  const r2 = rSquared(pairs, linearRegressionLine(fit));
  const rows = points.map(
    (point) =>
      `| ${point.x.toLocaleString('en-US')} | ${point.y.toFixed(3)}${point.rounds ? ` (${point.rounds.map((y) => y.toFixed(2)).join(', ')})` : ''} | ${point.predicted === undefined ? '—' : `${point.predicted.toFixed(3)} (${((point.y / point.predicted - 1) * 100).toFixed(0)} %)`} |`,
  );
  return [
    `**${name}**: slope ${fit.m.toExponential(3)} ${yName} per ${xName}, intercept ${fit.b.toFixed(3)}, **R² ${r2.toFixed(4)}**`,
    '',
    `| ${xName} | ${yName} (median; rounds) | planner (measured vs predicted) |`,
    '|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}

async function main() {
  const out: string[] = [];
  for (const workers of [1, 2]) {
    const points: Point[] = [];
    const cpuPoints: Point[] = [];
    for (const [stores, skus] of STORM_SIZES) {
      // Rounds on fresh beds, their medians the point: one storm's CPU is noisy on a shared box (README).
      const runs = [];
      for (let round = 0; round < STORM_ROUNDS; round += 1) {
        const bed = await startWorkerBed(workers);
        runs.push(await bed.storm(stores, skus, 2).finally(() => bed.stop()));
        process.stderr.write(
          `storm ${stores} × ${skus}, ${workers} worker(s), round ${round + 1}: ${runs[round]?.wall_s.toFixed(1)} s, ${runs[round]?.cpu_s.toFixed(2)} CPU s\n`,
        );
      }
      const [{ checked, written }] = runs as [StormRun];
      const wall = median(runs.map((run) => run.wall_s));
      points.push({ x: written, y: wall, rounds: runs.map((run) => run.wall_s) });
      cpuPoints.push({
        x: written,
        y: median(runs.map((run) => run.cpu_s)),
        rounds: runs.map((run) => run.cpu_s),
        predicted:
          workers * unit.worker_cpu_s_per_pod_second * wall +
          checked * unit.worker_cpu_s_per_sku_checked +
          written * unit.worker_cpu_s_per_sku_written,
      });
    }
    out.push(curve(`storm wall time, ${workers} worker process(es)`, 'SKUs written', 's', points));
    out.push(curve(`worker CPU, ${workers} worker process(es)`, 'SKUs written', 'CPU s', cpuPoints));
  }

  const bench = await startAppEnvironment({ stores: 0, skusPerStore: 0, env: BENCH_ENV });
  const dispatchPoints: Point[] = [];
  for (const stores of DISPATCH_STORES) {
    const prefix = `{dispatch-${randomUUID().slice(0, 8)}}`;
    const queue = createRestockQueue(bench.backends.redis, prefix);
    const started = Date.now();
    await dispatchStorm(queue, new StormRecords(bench.backends.redis, prefix), {
      stores,
      skus_per_store: 5_000,
      duration_seconds: 600,
      target_cpu: 80,
      change_ratio: 0.2,
    });
    dispatchPoints.push({ x: stores, y: (Date.now() - started) / 1000 });
    process.stderr.write(`dispatch ${stores} stores: ${dispatchPoints[dispatchPoints.length - 1]?.y.toFixed(2)} s\n`);
    await queue.obliterate({ force: true });
    await queue.close();
    await deleteKeysWithPrefix(bench.backends.redis, prefix);
  }
  out.push(curve('dispatch time', 'stores', 's', dispatchPoints));
  await bench.stop();

  // Store reads, on stores a storm wrote (items with their storm movement, as in production).
  const readRcu: Point[] = [];
  const readMs: Point[] = [];
  for (const skus of READ_SKUS) {
    const bed = await startWorkerBed(1, { warmUp: false }); // a warm-up storm would write store 1 too
    await bed.storm(1, skus, 2);
    const env = bed.environment;
    const client = createDynamoDbClient({ region: 'us-east-1', endpoint: env.config.DYNAMODB_ENDPOINT, timeoutMs: 30_000 });
    let units = 0;
    countConsumedCapacity(client, ({ read }) => (units += read));
    const repository = new StoreInventoryRepository(client, env.config.DYNAMODB_TABLE);
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      units = 0;
      const started = performance.now();
      await repository.listStoreItems(storeIdOf(1));
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    readRcu.push({ x: skus, y: units, predicted: skus * unit.rcu_per_sku_read });
    readMs.push({ x: skus, y: times[2] ?? 0 });
    process.stderr.write(`read ${skus} SKUs: ${units} RCU, ${(times[2] ?? 0).toFixed(1)} ms\n`);
    client.destroy();
    await bed.stop();
  }
  out.push(curve('store read, units', 'SKUs', 'RCU', readRcu));
  out.push(curve('store read, time (median of 5)', 'SKUs', 'ms', readMs));
  process.stdout.write(`${out.join('\n')}\n`);
}

runBenchmark(main);
