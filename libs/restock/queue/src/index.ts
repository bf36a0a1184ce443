export * from './lib/restock-queue.contract';
export * from './lib/restock-queue';
export * from './lib/queue-depth';
export * from './lib/restock-worker';
