import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { RequestHandler } from 'express';
import { jsonBody } from '@inventory/shared/http-server';
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
 * An action's body is parsed by the platform's JSON parser first, so a malformed one gets the
 * platform's JSON 400, not bull-board's own answer.
 */
export function queueDashboard(queues: Queue[], access: AccessControl): RequestHandler[] {
  const readOnly = board(queues, true);
  const full = board(queues, false);
  const isRead = (method: string | undefined) => method === 'GET' || method === 'HEAD';
  const mayAct = (req: Parameters<RequestHandler>[0]) => requestPrincipal(req).permissions.has('dashboard:act');
  const refuseActions: RequestHandler = (req, _res, next) => {
    if (!isRead(req.method)) assertPermission(requestPrincipal(req), 'dashboard:act');
    next();
  };
  const [requireJson, parseJson] = jsonBody() as unknown as [RequestHandler, RequestHandler];
  const unlessRead =
    (step: RequestHandler): RequestHandler =>
    (req, res, next) =>
      isRead(req.method) ? next() : step(req, res, next);
  const show: RequestHandler = (req, res, next) => (mayAct(req) ? full : readOnly)(req, res, next);
  return [access.guard('get', DASHBOARD_PATH), refuseActions, unlessRead(requireJson), unlessRead(parseJson), show];
}
