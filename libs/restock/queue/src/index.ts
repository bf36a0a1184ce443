export {
  RESTOCK_QUEUE_NAME,
  restockWaitListKey,
  restockJobId,
  type RestockJobData,
  type StoreRestockResult,
} from './lib/restock-queue.contract';
export { createRestockQueue, type RestockQueue } from './lib/restock-queue';
export { restockQueueDepth } from './lib/queue-depth';
export { startRestockWorker } from './lib/restock-worker';
