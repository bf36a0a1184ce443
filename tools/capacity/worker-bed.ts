import { randomUUID } from 'node:crypto';
import { createRestockQueue } from '@inventory/restock/queue';
import { StormRecords } from '@inventory/restock/storm';
import { dispatchStorm } from '@inventory/restock/storm';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { freePort } from '@inventory/shared/local-services';
import { type AppEnvironment, builtAppBundle, startAppEnvironment, type Child, spawnApp } from '@inventory/service/built-apps';
import { BENCH_ENV, cpuSeconds } from '../benchmarks/processes';

export const WORKER_BUNDLE = builtAppBundle('restock-worker');

export interface StormRun {
  wall_s: number;
  /** CPU seconds of all the workers (/proc), from dispatch to the storm's end. */
  cpu_s: number;
  checked: number;
  written: number;
}

export interface WorkerBed {
  environment: AppEnvironment;
  /** Dispatches a storm over stores 1…`stores` and answers when it has ended. */
  storm: (stores: number, skusPerStore: number, seed: number) => Promise<StormRun>;
  stop: () => Promise<void>;
}

/**
 * What the capacity tools measure worker CPU on: `workers` built restock-worker processes (one
 * CPU-stage core each, eight jobs) over a fresh table, warmed up by a storm over 16 stores × 250 SKUs unless told
 * not to: a pod is long-lived, its JIT and connections warm before a storm comes.
 */
export async function startWorkerBed(workers: number, { warmUp = true } = {}): Promise<WorkerBed> {
  const environment = await startAppEnvironment({ stores: 0, skusPerStore: 0, env: { ...BENCH_ENV, LOG_LEVEL: 'warn' } });
  const prefix = `{workers-${randomUUID().slice(0, 8)}}`;
  const processes: Child[] = [];
  for (let i = 0; i < workers; i += 1) {
    const child = await spawnApp(WORKER_BUNDLE, await freePort(), {
      ...environment.env,
      RESTOCK_QUEUE_PREFIX: prefix,
      RESTOCK_CPU_CORES: '1',
    });
    processes.push(child);
  }
  const queue = createRestockQueue(environment.backends.redis, prefix);
  const records = new StormRecords(environment.backends.redis, prefix);
  const cpu = () => processes.reduce((sum, child) => sum + cpuSeconds(child.process.pid ?? 0), 0);
  const storm = async (stores: number, skusPerStore: number, seed: number): Promise<StormRun> => {
    const before = cpu();
    const started = Date.now();
    const dispatched = await dispatchStorm(queue, records, {
      stores,
      skus_per_store: skusPerStore,
      manifest_seed: seed,
      duration_seconds: 600,
      target_cpu: 100,
      change_ratio: 0.2,
    });
    if (!('record' in dispatched)) throw new Error('a storm is already running');
    let record = dispatched.record;
    while (record.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      record = (await records.get(record.storm_id)) ?? record;
    }
    if (record.state !== 'completed') throw new Error(`storm ${record.storm_id} ended ${record.state}`);
    return { wall_s: (Date.now() - started) / 1_000, cpu_s: cpu() - before, checked: record.skus_checked, written: record.skus_written };
  };
  const stop = async () => {
    for (const child of processes) await child.stop();
    await queue.close();
    await deleteKeysWithPrefix(environment.backends.redis, prefix);
    await environment.stop();
  };
  try {
    // Every job slot of two workers busy: a 1-store warm-up left JIT work in the storm measured
    // (README). One shape whatever the workers, so their storms after it write the same SKUs.
    if (warmUp) await storm(16, 250, 1);
  } catch (error) {
    await stop();
    throw error;
  }
  return { environment, storm, stop };
}
