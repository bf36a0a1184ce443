import { Piscina } from 'piscina';
import type { CollectedGauge } from '@inventory/shared/observability';
import { type CheckedSku, checkManifestSlice, type ManifestSlice } from './manifest-slice';

/** Where a worker runs the storm's CPU stage: on its main thread, or on a pool of worker threads. */
export interface CpuStage {
  readonly threads: number;
  check(slice: ManifestSlice): Promise<CheckedSku[]>;
  close(): Promise<void>;
}

export function inlineCpuStage(): CpuStage {
  return {
    threads: 0,
    check: async (slice) => checkManifestSlice(slice),
    close: async () => undefined,
  };
}

/**
 * A fixed pool of `threads` worker threads running `threadScript`, a built file whose default
 * export is `checkManifestSlice` (the app bundles `@inventory/restock/store-processing/cpu-stage-thread`).
 */
export function threadedCpuStage(threads: number, threadScript: string): CpuStage {
  const pool = new Piscina<ManifestSlice, CheckedSku[]>({
    filename: threadScript,
    minThreads: threads,
    maxThreads: threads,
    // No queue limit: each concurrent job has at most one slice in the pool, so the queue never
    // holds more than the worker's job concurrency.
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  return {
    threads,
    check: (slice) => pool.run(slice),
    close: () => pool.close(),
  };
}

/**
 * One whole core or less runs the stage on the main thread (a thread would only add hand-offs);
 * an allowance of N ≥ 2 cores gets N threads, so the governor's target is within reach: the main
 * thread itself stays mostly waiting on DynamoDB and Redis.
 */
export function createCpuStage(allowanceCores: number, threadScript: string): CpuStage {
  const threads = Math.floor(allowanceCores);
  return threads >= 2 ? threadedCpuStage(threads, threadScript) : inlineCpuStage();
}

/** `inventory_restock_cpu_stage_threads`: worker threads running the CPU stage (0: the main thread). */
export function cpuStageThreads(stage: CpuStage): CollectedGauge {
  return {
    name: 'inventory_restock_cpu_stage_threads',
    help: 'Worker threads running the storm CPU stage; 0 when it runs on the main thread',
    labelNames: [],
    collect: async () => [{ labels: {}, value: stage.threads }],
  };
}
