/**
 * Issue 19's scaling curves, measured in one run (`npm run capacity:scaling`):
 * - storm wall time and worker CPU against SKUs written, at four sizes, with 1 and 2 built
 *   restock-worker processes (each on a fresh table, warmed up by a small storm first);
 * - dispatch time at 1k, 10k, 30k and 100k stores;
 * - a store read's cost (RCU, ms) at 100, 1,000, 5,000 and 20,000 SKUs, on stores a storm wrote.
 * Each curve gets its least-squares slope and R²; beside each measurement, what the planner
 * predicts from `unit-costs.json` where it predicts it (worker CPU, read units).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { linearRegression, linearRegressionLine, rSquared } from 'simple-statistics';
import { storeIdOf } from '@inventory/domain/model';
import { createDynamoDbClient, StoreInventoryRepository } from '@inventory/stock/table';
import { createRestockQueue, StormRecords } from '@inventory/restock/queue';
import { dispatchStorm } from '@inventory/restock/dispatch';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { freePort } from '@inventory/shared/local-services';
import { BENCH_ENV, startAppEnvironment } from '../benchmarks/app-environment';
import { cpuSeconds, runBenchmark, spawnApp } from '../benchmarks/processes';
import type { UnitCosts } from './capacity-plan';

const unit = JSON.parse(readFileSync(join(__dirname, 'unit-costs.json'), 'utf8')) as UnitCosts;
const WORKER = join(__dirname, '..', '..', 'dist', 'apps', 'restock-worker', 'main.js');
const STORM_SIZES: Array<[stores: number, skus: number]> = [
  [5, 1_000],
  [10, 1_000],
  [20, 1_000],
  [40, 1_000],
];
const DISPATCH_STORES = [1_000, 10_000, 30_000, 100_000];
const READ_SKUS = [100, 1_000, 5_000, 20_000];

interface Point {
  x: number;
  y: number;
  predicted?: number;
}

function curve(name: string, xName: string, yName: string, points: Point[]): string {
  const pairs = points.map((point) => [point.x, point.y]);
  const fit = linearRegression(pairs);
  const r2 = rSquared(pairs, linearRegressionLine(fit));
  const rows = points.map(
    (point) =>
      `| ${point.x.toLocaleString('en-US')} | ${point.y.toFixed(3)} | ${point.predicted === undefined ? '—' : `${point.predicted.toFixed(3)} (${((point.y / point.predicted - 1) * 100).toFixed(0)} %)`} |`,
  );
  return [
    `**${name}**: slope ${fit.m.toExponential(3)} ${yName} per ${xName}, intercept ${fit.b.toFixed(3)}, **R² ${r2.toFixed(4)}**`,
    '',
    `| ${xName} | ${yName} | planner (measured vs predicted) |`,
    '|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}

/** A storm of `stores` × `skus` on a fresh table with `workers` built worker processes: wall seconds, worker CPU seconds, SKUs written. */
async function storm(stores: number, skus: number, workers: number) {
  const bench = await startAppEnvironment({ stores: 0, skusPerStore: 0, env: { ...BENCH_ENV, LOG_LEVEL: 'warn' } });
  const prefix = `{scaling-${randomUUID().slice(0, 8)}}`;
  const processes = [];
  for (let i = 0; i < workers; i += 1)
    processes.push(await spawnApp(WORKER, await freePort(), { ...bench.env, RESTOCK_QUEUE_PREFIX: prefix, RESTOCK_CPU_CORES: '1' }));
  const queue = createRestockQueue(bench.backends.redis, prefix);
  const records = new StormRecords(bench.backends.redis, prefix);
  const run = async (request: { stores: number; skus_per_store: number; manifest_seed: number }) => {
    const dispatched = await dispatchStorm(queue, records, { ...request, duration_seconds: 600, target_cpu: 100, change_ratio: 0.2 });
    if (!('record' in dispatched)) throw new Error('a storm is already running');
    let record = dispatched.record;
    while (record.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      record = (await records.get(record.storm_id)) ?? record;
    }
    return record;
  };
  // A pod is long-lived: its JIT and connections are warm before a storm comes.
  await run({ stores: 1, skus_per_store: 500, manifest_seed: 1 });
  const cpuBefore = processes.map((child) => cpuSeconds(child.process.pid ?? 0));
  const started = Date.now();
  const record = await run({ stores, skus_per_store: skus, manifest_seed: 2 });
  const wall = (Date.now() - started) / 1000;
  const cpu = processes.reduce((sum, child, i) => sum + cpuSeconds(child.process.pid ?? 0) - (cpuBefore[i] ?? 0), 0);
  for (const child of processes) await child.stop();
  await queue.close();
  await deleteKeysWithPrefix(bench.backends.redis, prefix);
  await bench.stop();
  if (record.state !== 'completed') throw new Error(`storm ${record.storm_id} ended ${record.state}`);
  return { wall, cpu, written: record.skus_written, checked: record.skus_checked };
}

async function main() {
  const out: string[] = [];
  for (const workers of [1, 2]) {
    const points: Point[] = [];
    const cpuPoints: Point[] = [];
    for (const [stores, skus] of STORM_SIZES) {
      const measured = await storm(stores, skus, workers);
      process.stderr.write(
        `storm ${stores} × ${skus}, ${workers} worker(s): ${measured.wall.toFixed(1)} s, ${measured.cpu.toFixed(2)} CPU s, ${measured.written} written\n`,
      );
      points.push({ x: measured.written, y: measured.wall });
      cpuPoints.push({
        x: measured.written,
        y: measured.cpu,
        predicted: measured.checked * unit.worker_cpu_s_per_sku_checked + measured.written * unit.worker_cpu_s_per_sku_written,
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
    const env = await startAppEnvironment({ stores: 0, skusPerStore: 0, env: BENCH_ENV });
    const prefix = `{reads-${randomUUID().slice(0, 8)}}`;
    const worker = await spawnApp(WORKER, await freePort(), { ...env.env, RESTOCK_QUEUE_PREFIX: prefix });
    const queue = createRestockQueue(env.backends.redis, prefix);
    const records = new StormRecords(env.backends.redis, prefix);
    const dispatched = await dispatchStorm(queue, records, {
      stores: 1,
      skus_per_store: skus,
      duration_seconds: 600,
      target_cpu: 100,
      change_ratio: 0.2,
    });
    if (!('record' in dispatched)) throw new Error('a storm is already running');
    while ((await records.get(dispatched.record.storm_id))?.state === 'running') await new Promise((resolve) => setTimeout(resolve, 100));
    await worker.stop();
    const client = createDynamoDbClient({ region: 'us-east-1', endpoint: env.config.DYNAMODB_ENDPOINT, timeoutMs: 30_000 });
    let units = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        (args.input as Record<string, unknown>)['ReturnConsumedCapacity'] = 'TOTAL';
        const result = await next(args);
        for (const entry of [(result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity ?? []].flat())
          units += entry.CapacityUnits ?? 0;
        return result;
      },
      { step: 'initialize', name: 'consumedCapacity' },
    );
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
    await queue.close();
    await deleteKeysWithPrefix(env.backends.redis, prefix);
    await env.stop();
  }
  out.push(curve('store read, units', 'SKUs', 'RCU', readRcu));
  out.push(curve('store read, time (median of 5)', 'SKUs', 'ms', readMs));
  process.stdout.write(`${out.join('\n')}\n`);
}

runBenchmark(main);
