/**
 * The Restock Storm end to end: SKUs written/s by the built worker vs raw BatchWriteItem at the same
 * concurrency (the deployed one and half of it), its ratio the median of each round's (raw and
 * worker run back to back there, as this box's speed drifts between rounds); CPU per SKU of each
 * side and of DynamoDB Local; the worker's peak RSS (`npm run bench -- storm-end-to-end`;
 * BENCH_ROUNDS, BENCH_PROFILE_DIR for V8 CPU profiles of the worker).
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '@inventory/shared/dynamodb';
import { ensureInventoryTable } from '@inventory/stock/inventory-table';
import { deleteKeysWithPrefix, type RedisConnection } from '@inventory/shared/redis';
import { createRestockQueue } from '@inventory/restock/queue';
import { dispatchStorm, StormRecords } from '@inventory/restock/storm';
import { waitForStorm } from '@inventory/restock/store-processing/testing';
import { startLocalDynamoDb } from '@inventory/shared/local-services';
import { builtAppBundle, profileArgs } from '@inventory/service/built-apps';
import { cpuSeconds } from './processes';
import { median } from './stats';
import { ROUNDS, row, runStormBenchmark } from './storm-bench';

const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** A storm movement as the storm keeps it on each item it writes (`storm_movement`). */
function stormMovement(store: string, sku: string, round: number, i: number) {
  return {
    movement_id: randomUUID(),
    store_id: store,
    sku,
    delta: i - 3,
    quantity_before: 3,
    quantity_after: i * 37 + round,
    version: 1000 * (round + 1),
    reason: 'restock_sync',
    source: 'storm',
    reference: 'storm:storm-1764000000000-0a1b2c3d',
    actor: 'restock-worker',
    idempotency_key: null,
    request_id: null,
    at: new Date(Date.UTC(2026, 0, 1, 3, 0, round)).toISOString(),
  };
}

/**
 * Writes 40 stores × 1,000 distinct SKUs shaped as the storm's (same attributes, same sizes,
 * contents varying with `round`, each with its storm movement), 25 a batch, from `writers`
 * concurrent loops.
 * Returns the seconds taken. Distinct keys as in a storm: rewriting a few hot keys costs the local
 * server less per item and would flatter the baseline.
 */
async function rawBatchWrites(
  dynamodb: DynamoDBClient,
  table: string,
  storeTag: string,
  round: number,
  writers: number,
  /** Without: the items as the storm wrote them before it recorded movements. */
  withMovement = true,
): Promise<number> {
  const started = performance.now();
  let nextBatch = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (nextBatch < 1_600) {
        const batch = nextBatch++;
        const store = `${storeTag}-${batch % 40}`;
        const skus = Array.from({ length: 25 }, (_, i) => `SKU-${1001 + Math.floor(batch / 40) * 25 + i}`);
        await dynamodb.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [table]: skus.map((sku, i) => ({
                PutRequest: {
                  Item: {
                    store_id: { S: store },
                    sku: { S: sku },
                    quantity: { N: String(i * 37 + round) },
                    updated_at: { S: '2026-01-01T03:00:00Z' },
                    version: { N: '2' },
                    content_hash: { S: createHash('sha256').update(`${round}-${batch}-${i}`).digest('hex') },
                    restock_storm: { S: 'storm-1764000000000-0a1b2c3d' },
                    ...(withMovement ? { storm_movement: { S: JSON.stringify(stormMovement(store, sku, round, i)) } } : {}),
                  },
                },
              })),
            },
          }),
        );
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/**
 * The built worker syncing 40 stores × 1,000 SKUs (every SKU changed) with `concurrency` jobs at
 * once (each SKU's movement recorded, changes made since the count kept), vs raw BatchWriteItem
 * of as many items from as many writers. Both run hot, as in
 * production: the raw writers after one unmeasured round, the worker (started once, as a
 * long-lived pod) after an unmeasured storm, so neither pays for start-up or JIT warm-up. Both then
 * overwrite items that exist, as a storm over a stocked table does. Last, a storm of default-size
 * stores (5,000 SKUs) for the worker's peak RSS.
 */
async function endToEnd(redis: RedisConnection, env: Record<string, string>, runId: string, concurrency: number) {
  const measured = {
    workerRate: [] as number[],
    rawRate: [] as number[],
    /** Per round, worker over raw: the two run back to back, so the box's drift between rounds cancels. */
    pairedRatio: [] as number[],
    /** Raw BatchWriteItem of the items without their movement: what the storm wrote before stock movements. */
    beforeMovementsRate: [] as number[],
    beforeMovementsRatio: [] as number[],
    workerCpu: [] as number[],
    workerCpuPerSku: [] as number[],
    rawCpuPerSku: [] as number[],
    storeCpuPerSku: { worker: [] as number[], raw: [] as number[] },
    peakRssMb: 0,
  };
  // A DynamoDB Local, table and key prefix of its own: stores are numbered from 1 in every storm, and
  // a stream table created in a JVM whose other streams already hold records writes ~300× slower
  // there (tools/benchmarks/README.md), which no AWS table does.
  const dynamo = await startLocalDynamoDb(0, '127.0.0.1', { ownProcess: true });
  const storePid = dynamo.process?.pid ?? 0;
  const dynamodb = createDynamoDbClient({ region: 'us-east-1', endpoint: dynamo.url });
  const table = `storm-bench-e2e-${runId}`;
  const keyPrefix = `storm-bench-e2e-${runId}`;
  const prefix = `{bench-e2e-${runId}}`;
  await ensureInventoryTable(dynamodb, table);
  const worker = spawn(process.execPath, [...profileArgs, builtAppBundle('restock-worker')], {
    // As deployed: pods of 1 CPU, so the CPU stage runs on the main thread.
    env: {
      ...process.env,
      ...env,
      DYNAMODB_ENDPOINT: dynamo.url,
      DYNAMODB_TABLE: table,
      REDIS_KEY_PREFIX: keyPrefix,
      PORT: '0',
      MANAGEMENT_PORT: '0',
      RESTOCK_QUEUE_PREFIX: prefix,
      RESTOCK_CONCURRENCY: String(concurrency),
      RESTOCK_CPU_CORES: '1',
    },
    stdio: 'ignore',
  });
  const queue = createRestockQueue(redis, prefix);
  const records = new StormRecords(redis, prefix);
  const storm = async (seed: number, stores: number, skusPerStore: number) => {
    const dispatched = await dispatchStorm(queue, records, {
      duration_seconds: 600,
      target_cpu: 100,
      stores,
      skus_per_store: skusPerStore,
      change_ratio: 1,
      manifest_seed: seed,
    });
    if (!('record' in dispatched)) throw new Error('storm already running');
    // Polled often: the storm's time is read to 10 ms, not to the default 100.
    return waitForStorm(records, dispatched.record.storm_id, (r) => r.state !== 'running', 300_000, 10);
  };
  const rawStores = `raw-${runId}`;
  await rawBatchWrites(dynamodb, table, rawStores, 0, concurrency);
  await rawBatchWrites(dynamodb, table, `${rawStores}-bare`, 0, concurrency, false);
  await storm(999, 40, 1_000);
  for (let round = 0; round < ROUNDS; round += 1) {
    const beforeMovementsRate = 40_000 / (await rawBatchWrites(dynamodb, table, `${rawStores}-bare`, round + 1, concurrency, false));
    measured.beforeMovementsRate.push(beforeMovementsRate);
    const rawCpuBefore = cpuSeconds(process.pid);
    let storeCpuBefore = cpuSeconds(storePid);
    const rawSeconds = await rawBatchWrites(dynamodb, table, rawStores, round + 1, concurrency);
    const rawRate = 40_000 / rawSeconds;
    measured.rawRate.push(rawRate);
    measured.rawCpuPerSku.push(((cpuSeconds(process.pid) - rawCpuBefore) * 1e6) / 40_000);
    measured.storeCpuPerSku.raw.push(((cpuSeconds(storePid) - storeCpuBefore) * 1e6) / 40_000);

    const cpuBefore = cpuSeconds(worker.pid ?? 0);
    storeCpuBefore = cpuSeconds(storePid);
    const started = performance.now();
    const done = await storm(1000 + round, 40, 1_000);
    const seconds = (performance.now() - started) / 1000;
    const workerRate = done.skus_written / seconds;
    measured.workerRate.push(workerRate);
    measured.pairedRatio.push(workerRate / rawRate);
    measured.beforeMovementsRatio.push(workerRate / beforeMovementsRate);
    measured.workerCpu.push(((cpuSeconds(worker.pid ?? 0) - cpuBefore) / seconds) * 100);
    measured.workerCpuPerSku.push(((cpuSeconds(worker.pid ?? 0) - cpuBefore) * 1e6) / done.skus_written);
    measured.storeCpuPerSku.worker.push(((cpuSeconds(storePid) - storeCpuBefore) * 1e6) / done.skus_written);
  }
  // Stores 1–8 grow to 5,000 SKUs here, after the measured rounds that read them.
  await storm(2000, 8, 5_000);
  measured.peakRssMb = peakRssMb(worker.pid ?? 0);
  worker.kill('SIGTERM');
  await once(worker, 'exit');
  await queue.close();
  await deleteKeysWithPrefix(redis, prefix);
  await deleteKeysWithPrefix(redis, keyPrefix);
  dynamodb.destroy();
  await dynamo.stop();
  return measured;
}

runStormBenchmark(async ({ id, env, config, redis }) => {
  const lines: string[] = [];
  // At the deployed job concurrency (the config's default) and at half of it.
  let workerPeakRss = 0;
  for (const concurrency of [config.RESTOCK_CONCURRENCY, config.RESTOCK_CONCURRENCY / 2]) {
    const measured = await endToEnd(redis, env, `${id}-c${concurrency}`, concurrency);
    const deployed = concurrency === config.RESTOCK_CONCURRENCY;
    lines.push(
      row(
        `storm end to end, SKUs written/s (worker, ${concurrency} jobs at once${deployed ? ', as deployed' : ''})`,
        median(measured.workerRate).toFixed(0),
        `raw BatchWriteItem, ${concurrency} writers`,
        median(measured.rawRate).toFixed(0),
        `${median(measured.pairedRatio).toFixed(2)}× (rounds: ${measured.pairedRatio.map((ratio) => ratio.toFixed(2)).join(', ')})`,
        deployed ? '≥ 0.7×' : '',
      ),
      row(
        `the same storm's cost beside raw writes of the items alone (${concurrency} jobs)`,
        median(measured.workerRate).toFixed(0),
        'raw BatchWriteItem of the items without their movement (as stored before movements)',
        median(measured.beforeMovementsRate).toFixed(0),
        `${median(measured.beforeMovementsRatio).toFixed(2)}× (rounds: ${measured.beforeMovementsRatio.map((ratio) => ratio.toFixed(2)).join(', ')})`,
        '',
      ),
      row(
        `CPU per SKU written (${concurrency} at once)`,
        `${median(measured.workerCpuPerSku).toFixed(0)} µs (worker, ${median(measured.workerCpu).toFixed(0)} % of a core)`,
        'raw writers (this process)',
        `${median(measured.rawCpuPerSku).toFixed(0)} µs`,
        '',
        '',
      ),
      row(
        `DynamoDB Local CPU per SKU written (${concurrency} at once)`,
        `${median(measured.storeCpuPerSku.worker).toFixed(0)} µs (storm: reads too)`,
        'raw writers',
        `${median(measured.storeCpuPerSku.raw).toFixed(0)} µs`,
        '',
        '',
      ),
    );
    workerPeakRss = Math.max(workerPeakRss, measured.peakRssMb);
  }

  lines.push(
    row('restock-worker peak RSS (incl. a storm of 5,000-SKU stores)', `${workerPeakRss.toFixed(0)} MB`, 'limit', '256 MB', '', '≤ 256 MB'),
  );

  return lines;
});
