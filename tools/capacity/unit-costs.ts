/**
 * `npm run capacity:measure`: the unit costs the capacity plan is built from, measured on this
 * machine on the real parts (DynamoDB Local and a redis-server of the tool's own), and written to
 * `unit-costs.json` with the date and the command.
 *
 * - Worker CPU: the built restock-worker process (`worker-bed.ts`: eight jobs, warmed up) runs a
 *   storm of 40 stores × 1,000 SKUs on a fresh table, every SKU written, then the same manifest
 *   again (every SKU checked, none written); two workers run the first storm on a table of their
 *   own. Their CPU time (/proc) gives a pod's upkeep per second of storm (what the second worker
 *   adds) and, beside it, the CPU per SKU checked and per SKU written: each the median of three
 *   rounds.
 * - The events consumer's costs are the events consumer benchmark's (`events-unit-costs.json`,
 *   written by `npm run bench -- events-consumers`: storm and API-write records, several processes).
 * - DynamoDB units: every SDK call of those runs asks for `ReturnConsumedCapacity` (a middleware on
 *   the client), and the units DynamoDB answers are summed, reads and writes apart.
 * - Redis bytes: `MEMORY USAGE` of the keys the storm left (per-SKU counters, the change log, a
 *   totals marker), of the store's cached answer, of a queued restock job and a webhook delivery job.
 * - BullMQ commands per job: `INFO stats` before and after jobs are added and worked.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Worker } from 'bullmq';
import { loadConfig } from '@inventory/shared/config';
import { createInventoryBackends } from '@inventory/service/bootstrap';
import { createLogger, Metrics } from '@inventory/shared/observability';
import { freePort, startLocalDynamoDb, startLocalRedis } from '@inventory/shared/local-services';
import { createRedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { median } from '../benchmarks/stats';
import { storeIdOf } from '@inventory/domain/model';
import { seedInventory } from '@inventory/stock/maintenance';
import { createDynamoDbClient } from '@inventory/shared/dynamodb';
import { ensureInventoryTable, StockWriteRepository, StoreInventoryRepository } from '@inventory/stock/inventory-table';
import { MovementHistoryRepository, movementTableName } from '@inventory/stock/movements';
import { createRestockQueue, RESTOCK_QUEUE_NAME } from '@inventory/restock/queue';
import { StormRecords } from '@inventory/restock/storm';
import { runOneStoreStorm } from '@inventory/restock/store-processing/testing';
import { createWebhookQueue } from '@inventory/events/webhooks';
import type { UnitCosts } from './capacity-plan';
import { startWorkerBed } from './worker-bed';
import { countConsumedCapacity } from './consumed-capacity';

const SKUS = 5_000;
/** Stores of 1,000 SKUs the worker-process CPU is measured on, and the rounds of it. */
const WORKER_STORES = 40;
const WORKER_ROUNDS = 3;
const STORE_INDEX = 1;
const JOBS = 200;
/** Cached gzip store reads one query-api process (one core) served, tools/benchmarks/README.md (2026-12-03). */
const CACHED_READS_PER_CORE_PER_S = 3_129;

const round = (value: number, digits = 3) => Number(value.toPrecision(digits));

/**
 * Worker CPU as a pod spends it (`worker-bed.ts`: the built process, warmed up), on fresh tables:
 * a storm of 40 stores × 1,000 SKUs by one worker and by two, each SKU written, then by the one
 * worker the same manifest again (every SKU checked, none written). A pod's CPU is its SKUs' plus
 * an upkeep for every second the storm runs (its jobs' locks, timers, sampling — the same whatever
 * it processes): the second worker adds upkeep only, which separates it; the rest is per SKU.
 * Answers one round's units.
 */
async function workerCpuRound() {
  const two = await startWorkerBed(2);
  const writtenByTwo = await two.storm(WORKER_STORES, 1_000, 2).finally(() => two.stop());
  const bed = await startWorkerBed(1);
  const [written, checked] = await (async () => {
    const runs = [await bed.storm(WORKER_STORES, 1_000, 2), await bed.storm(WORKER_STORES, 1_000, 2)] as const;
    if (runs[1].written !== 0 || writtenByTwo.written !== runs[0].written) {
      throw new Error(`unexpected storms: ${JSON.stringify({ runs, writtenByTwo })}`);
    }
    return runs;
  })().finally(() => bed.stop());
  const perPodSecond = (writtenByTwo.cpu_s - written.cpu_s) / (2 * writtenByTwo.wall_s - written.wall_s);
  const perChecked = (checked.cpu_s - perPodSecond * checked.wall_s) / checked.checked;
  const perWritten = (written.cpu_s - perPodSecond * written.wall_s - perChecked * written.checked) / written.written;
  return { units: { perChecked, perWritten, perPodSecond }, runs: { written, writtenByTwo, checked } };
}

/** The median of each unit over WORKER_ROUNDS rounds (one round's units are noisy: README). */
async function workerCpu() {
  const rounds: Array<Awaited<ReturnType<typeof workerCpuRound>>> = [];
  for (let round = 0; round < WORKER_ROUNDS; round += 1) rounds.push(await workerCpuRound());
  const unitOf = (name: 'perChecked' | 'perWritten' | 'perPodSecond') => median(rounds.map((round) => round.units[name]));
  return {
    perChecked: unitOf('perChecked'),
    perWritten: unitOf('perWritten'),
    perPodSecond: unitOf('perPodSecond'),
    rounds,
  };
}

async function main() {
  const dynamo = await startLocalDynamoDb(0, '127.0.0.1', { ownProcess: true });
  const redisServer = await startLocalRedis(await freePort());
  // A failed run must not leave its JVM and redis-server running (they would skew the next).
  try {
    await measureUnitCosts(dynamo.url, redisServer.url);
  } finally {
    await dynamo.stop();
    await redisServer.stop();
  }
}

async function measureUnitCosts(dynamoUrl: string, redisUrl: string) {
  const id = randomUUID().slice(0, 8);
  const config = loadConfig({
    DYNAMODB_ENDPOINT: dynamoUrl,
    REDIS_URL: redisUrl,
    DYNAMODB_TABLE: `capacity-${id}`,
    REDIS_KEY_PREFIX: 'cap',
  });
  const backends = createInventoryBackends(config, 'capacity');
  const logger = createLogger({ app: 'capacity', level: 'silent' });
  const metrics = new Metrics({ app: 'capacity', environment: 'local', enabled: false, logger });
  await waitUntilReady(backends.redis);
  await ensureInventoryTable(backends.dynamodb, config.DYNAMODB_TABLE);
  await seedInventory(backends, { stores: STORE_INDEX, skusPerStore: SKUS });

  // A client of its own for the measured calls: its middleware is in place before its first call.
  const measured = createDynamoDbClient({ region: config.AWS_REGION, endpoint: dynamoUrl, timeoutMs: 30_000 });
  const units = { read: 0, write: 0, movementWrite: 0 };
  const movementTable = movementTableName(config.DYNAMODB_TABLE);
  countConsumedCapacity(measured, ({ table, read, write }) => {
    units.read += read;
    units.write += write;
    if (table === movementTable) units.movementWrite += write;
  });
  const table = config.DYNAMODB_TABLE;
  const env = {
    backends: {
      ...backends,
      repository: new StoreInventoryRepository(measured, table),
      writes: new StockWriteRepository(measured, table),
      history: new MovementHistoryRepository(measured, table),
    },
    logger,
    metrics,
  };
  const storm = async (prefix: string) => {
    const before = { ...units };
    const cpu = process.cpuUsage();
    const result = await runOneStoreStorm(env, new StormRecords(backends.redis, prefix), {
      storeIndex: STORE_INDEX,
      skus: SKUS,
      manifestSeed: 77,
    });
    const used = process.cpuUsage(cpu);
    return {
      result,
      cpuS: (used.user + used.system) / 1e6,
      read: units.read - before.read,
      write: units.write - before.write,
      movementWrite: units.movementWrite - before.movementWrite,
    };
  };
  process.stderr.write('storm 1: every SKU written...\n');
  const written = await storm('{cap-storm-1}');
  process.stderr.write('storm 2: the same manifest, every SKU checked, none written...\n');
  const checked = await storm('{cap-storm-2}');
  // A manifest of change ratio 1 still leaves a few SKUs at their old quantity: count what was written.
  const writtenSkus = written.result.skus_written;
  if (writtenSkus < SKUS * 0.9 || checked.result.skus_written !== 0) {
    throw new Error(`unexpected storms: ${JSON.stringify({ written: written.result, checked: checked.result })}`);
  }

  process.stderr.write('worker processes, three rounds: a 40-store storm by two workers, by one, then again by one...\n');
  const pod = await workerCpu();

  const redis = backends.redis;
  const memory = async (key: string) => Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
  const storeId = storeIdOf(STORE_INDEX);
  const [marker] = (await redis.scan('0', 'MATCH', backends.keys.totalsSettled(storeId, '*'), 'COUNT', '10000'))[1];
  const changeLogEntries = await redis.zcard(backends.keys.storeChanges(storeId));
  const items = await backends.repository.listStoreItems(storeId);
  const identity = Buffer.from(JSON.stringify(items));
  const gzip = gzipSync(identity);
  const version = await backends.cache.currentVersion(storeId);
  await backends.cache.put(storeId, version, { etag: `"${randomUUID()}"`, gzip });

  const restockQueue = createRestockQueue(backends.redis, '{cap-jobs}');
  const job = await restockQueue.add('restock-store', {
    storm_id: 'storm-1764756000000-0a1b2c3d',
    store_id: 'store-29999',
    store_index: 29_999,
    skus_per_store: SKUS,
    manifest_seed: 77,
    change_ratio: 0.2,
    target_cpu: 80,
    deadline_ms: Date.now() + 180_000,
    counted_at: new Date().toISOString(),
  });
  const webhookQueue = createWebhookQueue(backends.redis, '{cap-jobs}', 1_000);
  const movement = (await backends.history.skuMovements(storeId, items[0]?.sku ?? '', 1)).movements[0];
  const delivery = await webhookQueue.add('stock.movement', {
    webhook_id: `wh-${randomUUID()}`,
    event: {
      event_id: movement?.movement_id ?? '',
      type: 'stock.movement',
      store_id: storeId,
      sku: movement?.sku ?? '',
      version: 1,
      quantity: 1,
      available: 1,
      at: movement?.at ?? '',
      movement: movement as never,
    },
  });

  // BullMQ's commands per job: add JOBS jobs and work them, counted by the server.
  const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1] ?? 0);
  const workerConnection = createRedisConnection({ redisUrl, role: 'worker' });
  const before = await commands();
  await restockQueue.addBulk(
    Array.from({ length: JOBS }, (_, i) => ({ name: 'restock-store', data: job.data, opts: { jobId: `bulk-${i}` } })),
  );
  let done = 0;
  const worker = new Worker(RESTOCK_QUEUE_NAME, async () => void (done += 1), {
    connection: workerConnection,
    prefix: '{cap-jobs}',
    concurrency: 8,
  });
  while (done < JOBS) await new Promise((resolve) => setTimeout(resolve, 50));
  await worker.close();
  const perJob = ((await commands()) - before) / JOBS;

  const costs: UnitCosts = {
    measured_at: new Date().toISOString().slice(0, 10),
    command: 'npm run capacity:measure',
    worker_cpu_s_per_sku_checked: round(pod.perChecked),
    worker_cpu_s_per_sku_written: round(pod.perWritten),
    worker_cpu_s_per_pod_second: round(pod.perPodSecond),
    wcu_per_sku_written: round((written.write - checked.write) / writtenSkus),
    movement_wcu_per_sku_written: round((written.movementWrite - checked.movementWrite) / writtenSkus),
    rcu_per_sku_read: round(checked.read / SKUS),
    redis_bytes_per_sku_counter: round((await memory(backends.keys.storeSkus(storeId))) / SKUS),
    redis_bytes_per_sku_cached: round((await memory(backends.keys.readCache(storeId, version))) / SKUS),
    redis_bytes_per_change_log_entry: round((await memory(backends.keys.storeChanges(storeId))) / Math.max(1, changeLogEntries)),
    redis_bytes_per_job: await memory(`{cap-jobs}:${RESTOCK_QUEUE_NAME}:${job.id}`),
    redis_bytes_per_totals_marker: marker ? await memory(marker) : 0,
    redis_bytes_per_delivery_job: await memory(`{cap-jobs}:webhooks:${delivery.id}`),
    bullmq_commands_per_job: round(perJob),
    answer_bytes_per_sku_identity: round(identity.length / SKUS),
    answer_bytes_per_sku_gzip: round(gzip.length / SKUS),
    cached_reads_per_core_per_s: CACHED_READS_PER_CORE_PER_S,
  };
  const file = join(__dirname, 'unit-costs.json');
  writeFileSync(file, `${JSON.stringify(costs, null, 2)}\n`);
  process.stdout.write(
    `${JSON.stringify({ ...costs, raw: { written, checked, pod, in_process_cpu_s: { written: written.cpuS, checked: checked.cpuS } } }, null, 2)}\n`,
  );
  process.stderr.write(`written to ${file}\n`);

  await restockQueue.close();
  await webhookQueue.close();
  await workerConnection.quit();
  measured.destroy();
  await backends.close();
  await metrics.close(1_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`capacity:measure failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
