import {
  createServiceApp,
  jsonBody,
  dashboardSecurityHeaders,
  methodNotAllowed,
  type RateLimit,
  type ReadinessCheck,
  requireOperator,
  type ServiceApp,
} from '@inventory/shared/http-server';
import { openApiDocument } from '@inventory/shared/api-contract';
import type { BatchWriter, InventoryUpdater } from '@inventory/stock/store-update';
import type { Logger, Metrics } from '@inventory/shared/observability';
import { type RestockQueue, restockQueueDepth } from '@inventory/restock/queue';
import { type StormRecords, type StormTimeline } from '@inventory/restock/storm';
import type { LowStockThresholdRepository } from '@inventory/events/low-stock';
import type { WebhookQueue, WebhookRepository } from '@inventory/events/webhooks';
import { stockWriteRoutes } from './stock-write.routes';
import { DASHBOARD_PATH, queueDashboard } from './queue-dashboard';
import { getRestockStorm, postRestockStorm } from './restock-storm.route';
import { mountWebhookRoutes } from './webhook.routes';
import { mountLowStockThresholdRoute } from './low-stock-threshold.route';
import { mountStormPage } from './storm-page.route';

export interface WriteApiDeps {
  logger: Logger;
  metrics: Metrics;
  updater: InventoryUpdater;
  batches: BatchWriter;
  queue: RestockQueue;
  stormRecords: StormRecords;
  /** The storms' progress over time, for the storm page. */
  stormTimeline: StormTimeline;
  thresholds: LowStockThresholdRepository;
  webhooks: WebhookRepository;
  /** Webhook deliveries: shown in the dashboard, its failed set listed as dead letters. */
  webhookQueue: WebhookQueue;
  allowPrivateWebhookTargets: boolean;
  /** Guards the storm and the dashboard; unset keeps them shut. */
  operatorToken: string | undefined;
  /** Per client, on stock writes. */
  writeLimit: RateLimit;
  /** Per source, on wrong operator credentials. */
  operatorFailureLimit: RateLimit;
  readinessChecks: ReadinessCheck[];
  isDraining?: () => boolean;
}

export function createApp(deps: WriteApiDeps): ServiceApp {
  const operator = requireOperator({ token: deps.operatorToken, failures: deps.operatorFailureLimit });
  deps.metrics.collectedGauge(restockQueueDepth(deps.queue));
  return createServiceApp({
    app: 'write-api',
    logger: deps.logger,
    metrics: deps.metrics,
    readinessChecks: deps.readinessChecks,
    isDraining: deps.isDraining,
    directRoutes: stockWriteRoutes(deps.updater, deps.batches, deps.writeLimit),
    openApiDocument: openApiDocument(),
    mountRoutes: (router) => {
      router
        .route('/stress/restock')
        .post(operator, jsonBody(), postRestockStorm(deps.queue, deps.stormRecords))
        .all(methodNotAllowed('POST'));
      router.route('/stress/restock/:stormId').get(operator, getRestockStorm(deps.stormRecords)).all(methodNotAllowed('GET'));
      mountStormPage(router, operator, deps.stormRecords, deps.stormTimeline);
      mountLowStockThresholdRoute(router, operator, deps.thresholds);
      mountWebhookRoutes(router, operator, {
        webhooks: deps.webhooks,
        queue: deps.webhookQueue,
        allowPrivateTargets: deps.allowPrivateWebhookTargets,
      });
      router.use(DASHBOARD_PATH, dashboardSecurityHeaders, operator, queueDashboard([deps.queue, deps.webhookQueue]));
    },
  });
}
