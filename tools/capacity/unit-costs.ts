/**
 * `npm run capacity:measure`: the unit costs the capacity plan is built from, measured on this
 * machine on the real parts (DynamoDB Local and a redis-server of the tool's own), and written to
 * `unit-costs.json` with the date and the command.
 *
 * - Worker CPU: the built restock-worker process (one core, eight jobs at once, warmed up by a small
 *   storm first) runs a storm of 20 stores × 1,000 SKUs twice: every SKU written, then the same
 *   manifest again (every SKU checked, none written); its CPU time (/proc) per SKU.
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
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { Worker } from 'bullmq';
import { loadConfig } from '@inventory/shared/config';
import { createInventoryBackends } from '@inventory/service/bootstrap';
import { createLogger, Metrics } from '@inventory/shared/observability';
import { freePort, startLocalDynamoDb, startLocalRedis } from '@inventory/shared/local-services';
import { createRedisConnection, deleteKeysWithPrefix, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { dispatchStorm } from '@inventory/restock/dispatch';
import { cpuSeconds, spawnApp } from '../benchmarks/processes';
import { storeIdOf } from '@inventory/domain/model';
import { seedInventory } from '@inventory/stock/maintenance';
import {
  createDynamoDbClient,
  ensureInventoryTable,
  MovementHistoryRepository,
  StockWriteRepository,
  StoreInventoryRepository,
} from '@inventory/stock/table';
import { createRestockQueue, RESTOCK_QUEUE_NAME, StormRecords } from '@inventory/restock/queue';
import { runOneStoreStorm } from '@inventory/restock/store-processing/testing';
import { createWebhookQueue } from '@inventory/events/webhooks';
import type { UnitCosts } from './capacity-plan';

const SKUS = 5_000;
/** Stores of 1,000 SKUs the worker-process CPU is measured on. */
const WORKER_STORES = 20;
const WORKER = join(__dirname, '..', '..', 'dist', 'apps', 'restock-worker', 'main.js');
const STORE_INDEX = 1;
const JOBS = 200;
/** Cached gzip store reads one query-api process (one core) served, tools/benchmarks/README.md (2026-12-03). */
const CACHED_READS_PER_CORE_PER_S = 3_129;

const round = (value: number, digits = 3) => Number(value.toPrecision(digits));

/** Worker CPU as a pod spends it: the built restock-worker process, warmed up, eight jobs at once. */
async function workerCpu(env: Record<string, string>, redis: RedisConnection): Promise<{ perChecked: number; perWritten: number }> {
  const prefix = `{cap-worker-${randomUUID().slice(0, 8)}}`;
  const worker = await spawnApp(WORKER, await freePort(), {
    ...env,
    RESTOCK_QUEUE_PREFIX: prefix,
    RESTOCK_CPU_CORES: '1',
    LOG_LEVEL: 'warn',
  });
  const queue = createRestockQueue(redis, prefix);
  const records = new StormRecords(redis, prefix);
  const run = async (stores: number, seed: number) => {
    const before = cpuSeconds(worker.process.pid ?? 0);
    const dispatched = await dispatchStorm(queue, records, {
      stores,
      skus_per_store: 1_000,
      duration_seconds: 600,
      target_cpu: 100,
      change_ratio: 0.2,
      manifest_seed: seed,
    });
    if (!('record' in dispatched)) throw new Error('a storm is already running');
    let record = dispatched.record;
    while (record.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      record = (await records.get(record.storm_id)) ?? record;
    }
    return { cpu: cpuSeconds(worker.process.pid ?? 0) - before, record };
  };
  try {
    await run(2, 1); // warm-up: the JIT and the first connections, which a long-lived pod has long paid
    const written = await run(WORKER_STORES, 2); // every SKU of these stores new or changed: written
    const checked = await run(WORKER_STORES, 2); // the same manifest again: every SKU checked, none written
    if (checked.record.skus_written !== 0) throw new Error(`the repeated storm wrote ${checked.record.skus_written} SKUs`);
    const perChecked = checked.cpu / checked.record.skus_checked;
    return { perChecked, perWritten: Math.max(0, written.cpu - checked.cpu) / written.record.skus_written };
  } finally {
    await worker.stop();
    await queue.close();
    await deleteKeysWithPrefix(redis, prefix);
  }
}

async function main() {
  const dynamo = await startLocalDynamoDb(0, '127.0.0.1', { ownProcess: true });
  const redisServer = await startLocalRedis(await freePort());
  const id = randomUUID().slice(0, 8);
  const config = loadConfig({
    DYNAMODB_ENDPOINT: dynamo.url,
    REDIS_URL: redisServer.url,
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
  const measured = createDynamoDbClient({ region: config.AWS_REGION, endpoint: dynamo.url, timeoutMs: 30_000 });
  const units = { read: 0, write: 0 };
  measured.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Record<string, unknown>)['ReturnConsumedCapacity'] ??= 'TOTAL';
      const result = await next(args);
      const reads = /^(Get|BatchGet|Query|Scan)/.test(context.commandName ?? '');
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      for (const entry of [consumed ?? []].flat()) {
        if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
          units.read += entry.ReadCapacityUnits ?? 0;
          units.write += entry.WriteCapacityUnits ?? 0;
        } else if (reads) units.read += entry.CapacityUnits ?? 0;
        else units.write += entry.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'consumedCapacity' },
  );
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
    return { result, cpuS: (used.user + used.system) / 1e6, read: units.read - before.read, write: units.write - before.write };
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

  process.stderr.write('worker process: warm-up, a storm writing 20 stores, the same storm again...\n');
  const pod = await workerCpu(
    { DYNAMODB_ENDPOINT: dynamo.url, REDIS_URL: redisServer.url, DYNAMODB_TABLE: table, REDIS_KEY_PREFIX: 'cap' },
    backends.redis,
  );

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
      at: movement?.at ?? '',
      movement: movement as never,
    },
  });

  // BullMQ's commands per job: add JOBS jobs and work them, counted by the server.
  const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1] ?? 0);
  const workerConnection = createRedisConnection({ redisUrl: redisServer.url, role: 'worker' });
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
    wcu_per_sku_written: round((written.write - checked.write) / writtenSkus),
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
  await dynamo.stop();
  await redisServer.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`capacity:measure failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
