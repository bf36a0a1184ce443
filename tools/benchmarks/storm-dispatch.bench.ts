/**
 * Dispatching a 30,000-store Restock Storm vs a bare addBulk of 30,000 jobs, each into its own
 * prefix (`npm run bench -- storm-dispatch`; BENCH_ROUNDS).
 */
import { Queue } from 'bullmq';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { createRestockQueue, RESTOCK_QUEUE_NAME } from '@inventory/restock/queue';
import { DISPATCH_CHUNK, dispatchStorm, StormRecords } from '@inventory/restock/storm';
import { median } from './stats';
import { ROUNDS, row, runStormBenchmark } from './storm-bench';

runStormBenchmark(async ({ id, redis }) => {
  const lines: string[] = [];
  const dispatch: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const barePrefix = `{bench-bare-${id}-${round}}`;
    const bareQueue = new Queue(RESTOCK_QUEUE_NAME, { connection: redis, prefix: barePrefix });
    let started = performance.now();
    for (let first = 0; first < 30_000; first += DISPATCH_CHUNK) {
      await bareQueue.addBulk(
        Array.from({ length: DISPATCH_CHUNK }, (_, i) => ({
          name: 'x',
          data: { store_index: first + i },
          opts: { jobId: `j-${first + i}` },
        })),
      );
    }
    bare.push(performance.now() - started);
    await bareQueue.close();
    await deleteKeysWithPrefix(redis, barePrefix);

    const prefix = `{bench-storm-${id}-${round}}`;
    const queue = createRestockQueue(redis, prefix);
    started = performance.now();
    await dispatchStorm(queue, new StormRecords(redis, prefix), {
      duration_seconds: 60,
      target_cpu: 80,
      stores: 30_000,
      skus_per_store: 5_000,
      change_ratio: 0.2,
    });
    dispatch.push(performance.now() - started);
    await queue.close();
    await deleteKeysWithPrefix(redis, prefix);
  }
  lines.push(
    row(
      'dispatch a 30,000-store storm',
      `${(median(dispatch) / 1000).toFixed(2)} s`,
      'bare addBulk of 30,000 jobs',
      `${(median(bare) / 1000).toFixed(2)} s`,
      `${(median(bare) / median(dispatch)).toFixed(2)}×`,
      '≥ 0.8×',
    ),
  );

  return lines;
});
