import type { CollectedGauge } from '@inventory/shared/observability';
import type { RestockQueue } from './restock-queue';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** `inventory_restock_queue_jobs{state}`, read from BullMQ at scrape time: how far behind the workers are. */
export function restockQueueDepth(queue: RestockQueue): CollectedGauge {
  return {
    name: 'inventory_restock_queue_jobs',
    help: 'Restock jobs in the queue by state',
    labelNames: ['state'],
    collect: async () => {
      const counts = await queue.getJobCounts(...STATES);
      return STATES.map((state) => ({ labels: { state }, value: counts[state] ?? 0 }));
    },
  };
}
