import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { RequestHandler } from 'express';
import type { Queue } from 'bullmq';

export const DASHBOARD_PATH = '/admin/queues';

/** bull-board over the restock and webhook queues, served at the same path the ingress routes to write-api. */
export function queueDashboard(queues: Queue[]): RequestHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  // bull-board serves from an Express app of its own, which would name itself in X-Powered-By.
  const dashboard = serverAdapter.getRouter() as RequestHandler & { disable?: (setting: string) => unknown };
  dashboard.disable?.('x-powered-by');
  return dashboard;
}
