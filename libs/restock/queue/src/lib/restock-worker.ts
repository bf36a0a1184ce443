import { Worker } from 'bullmq';
import type { RedisConnection } from '@inventory/shared/redis';
import type { Logger } from '@inventory/shared/observability';
import { RESTOCK_QUEUE_NAME, type RestockJobData, type StoreRestockResult } from './restock-queue.contract';

export interface RestockWorkerOptions {
  /** A `worker`-role connection (retries forever); BullMQ duplicates it for blocking reads. */
  connection: RedisConnection;
  prefix: string;
  concurrency: number;
  /** How long a job stays locked without a heartbeat before another worker takes it over. */
  lockMs: number;
  process: (job: RestockJobData) => Promise<StoreRestockResult>;
  /** A job given up for good (its attempts spent): its storm counts the error. */
  onGaveUp: (stormId: string) => Promise<unknown>;
  logger: Logger;
}

/** The BullMQ consumer of restock jobs; `close()` lets active jobs finish first. */
export function startRestockWorker(options: RestockWorkerOptions): Worker<RestockJobData, StoreRestockResult> {
  const worker = new Worker<RestockJobData, StoreRestockResult>(RESTOCK_QUEUE_NAME, (job) => options.process(job.data), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: Math.max(500, Math.floor(options.lockMs / 2)),
    // A killed pod stalls a job once; allow a few before giving up on it.
    maxStalledCount: 3,
  });
  worker.on('failed', (job, error) => {
    options.logger.error({ err: error, job_id: job?.id, attempts: job?.attemptsMade }, 'restock job failed');
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) void options.onGaveUp(job.data.storm_id);
  });
  worker.on('error', (error) => options.logger.error({ err: error }, 'restock worker error'));
  return worker;
}
