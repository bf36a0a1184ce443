import type { RequestHandler, Router } from 'express';
import type { AccessControl } from '@inventory/service/access';
import { jsonBody, methodNotAllowed } from '@inventory/shared/http-server';
import { NotFoundError, parseInput, ValidationError, webhookRegistrationSchema } from '@inventory/domain/model';
import {
  checkWebhookTarget,
  WEBHOOK_QUEUE_NAME,
  type WebhookQueue,
  type WebhookRepository,
  WebhookTargetRefusedError,
  webhookView,
} from '@inventory/events/webhooks';

export interface WebhookRouteDeps {
  webhooks: WebhookRepository;
  queue: WebhookQueue;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: local receivers only. */
  allowPrivateTargets: boolean;
}

const WEBHOOK_ID = /^wh-[0-9a-f-]{36}$/;
/** Dead letters listed per answer: the newest first. */
const DEAD_LETTERS_SHOWN = 1_000;

/**
 * `POST/GET /admin/webhooks`, `DELETE /admin/webhooks/{id}` and `GET /admin/webhooks/{id}/dead-letters`
 * (apps/README.md#events-and-webhooks), each behind its access guard. A target must resolve to public addresses only, unless
 * private targets are allowed; deliveries check again.
 */
export function mountWebhookRoutes(router: Router, access: AccessControl, deps: WebhookRouteDeps): void {
  router
    .route('/admin/webhooks')
    .post(access.guard('post', '/admin/webhooks'), jsonBody(), (async (req, res) => {
      const registration = parseInput(webhookRegistrationSchema, req.body);
      try {
        await checkWebhookTarget(registration.url, deps.allowPrivateTargets);
      } catch (error) {
        if (!(error instanceof WebhookTargetRefusedError)) throw error;
        throw new ValidationError(`url ${error.problem}`, [{ field: 'url', problem: error.problem }]);
      }
      const webhook = await deps.webhooks.register(registration);
      res.status(201).location(`/admin/webhooks/${webhook.webhook_id}`).json(webhookView(webhook));
    }) satisfies RequestHandler)
    .get(access.guard('get', '/admin/webhooks'), async (_req, res) => {
      res.json({ webhooks: (await deps.webhooks.list()).map(webhookView) });
    })
    .all(methodNotAllowed('GET', 'POST'));

  const webhookIdOf = (id: unknown) => {
    const webhookId = String(id);
    if (!WEBHOOK_ID.test(webhookId)) throw new NotFoundError(`no webhook ${webhookId.slice(0, 64)}`);
    return webhookId;
  };

  router
    .route('/admin/webhooks/:webhookId')
    .delete(access.guard('delete', '/admin/webhooks/{webhookId}'), async (req, res) => {
      const webhookId = webhookIdOf(req.params['webhookId']);
      if (!(await deps.webhooks.delete(webhookId))) throw new NotFoundError(`no webhook ${webhookId}`);
      res.status(204).end();
    })
    .all(methodNotAllowed('DELETE'));

  router
    .route('/admin/webhooks/:webhookId/dead-letters')
    .get(access.guard('get', '/admin/webhooks/{webhookId}/dead-letters'), async (req, res) => {
      const webhookId = webhookIdOf(req.params['webhookId']);
      const failed = await deps.queue.getFailed(0, DEAD_LETTERS_SHOWN - 1);
      const deadLetters = failed
        .filter((job) => job.data.webhook_id === webhookId)
        .map((job) => ({
          event_id: job.data.event.event_id,
          type: job.data.event.type,
          store_id: job.data.event.store_id,
          sku: job.data.event.sku,
          version: job.data.event.version,
          attempts: job.attemptsMade,
          last_error: job.failedReason,
          failed_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        }));
      res.json({ queue: WEBHOOK_QUEUE_NAME, dead_letters: deadLetters });
    })
    .all(methodNotAllowed('GET'));
}
