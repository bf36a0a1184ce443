import { Queue } from 'bullmq';
import type { RedisConnection } from '@inventory/shared/redis';
import { RESTOCK_QUEUE_NAME, type RestockJobData } from './restock-queue.contract';

export type RestockQueue = Queue<RestockJobData, unknown, string>;

export function createRestockQueue(connection: RedisConnection, prefix: string): RestockQueue {
  return new Queue<RestockJobData, unknown, string>(RESTOCK_QUEUE_NAME, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: 3_600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3_600 },
    },
  });
}
