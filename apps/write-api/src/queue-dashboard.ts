import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { RequestHandler } from 'express';
import type { Queue } from 'bullmq';
import { type AccessControl, assertPermission, requestPrincipal } from '@inventory/service/access';

export const DASHBOARD_PATH = '/admin/queues';

function board(queues: Queue[], readOnlyMode: boolean): RequestHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode, allowRetries: !readOnlyMode })),
    serverAdapter,
  });
  // bull-board serves from an Express app of its own, which would name itself in X-Powered-By.
  const dashboard = serverAdapter.getRouter() as RequestHandler & { disable?: (setting: string) => unknown };
  dashboard.disable?.('x-powered-by');
  return dashboard;
}

/**
 * bull-board over the restock and webhook queues, at the path the ingress routes to write-api.
 * Viewing needs `dashboard:view`; its actions (retry, clean, promote, add: a forged webhook delivery
 * would be signed by the platform) only `dashboard:act`, held by admins: everyone else gets the
 * read-only board, and any request that would change a queue is refused before bull-board sees it.
 */
export function queueDashboard(queues: Queue[], access: AccessControl): RequestHandler[] {
  const readOnly = board(queues, true);
  const full = board(queues, false);
  const act: RequestHandler = (req, res, next) => {
    const principal = requestPrincipal(req);
    const mayAct = principal.permissions.has('dashboard:act');
    if (!mayAct && req.method !== 'GET' && req.method !== 'HEAD') assertPermission(principal, 'dashboard:act');
    (mayAct ? full : readOnly)(req, res, next);
  };
  return [access.guard('get', DASHBOARD_PATH), act];
}
