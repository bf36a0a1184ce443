import {
  createServiceApp,
  jsonBody,
  dashboardSecurityHeaders,
  methodNotAllowed,
  type RateLimit,
  type ReadinessCheck,
  type ServiceApp,
} from '@inventory/shared/http-server';
import { openApiDocument } from '@inventory/shared/api-contract';
import type { BatchWriter, InventoryUpdater } from '@inventory/stock/store-update';
import type { Promises } from '@inventory/stock/promises';
import type { Logger, Metrics } from '@inventory/shared/observability';
import { type RestockQueue, restockQueueDepth } from '@inventory/restock/queue';
import { type StormRecords, type StormTimeline } from '@inventory/restock/storm';
import type { LowStockThresholdRepository } from '@inventory/events/low-stock';
import type { WebhookQueue, WebhookRepository } from '@inventory/events/webhooks';
import type { AccessControl, ApiKeyDirectory, ApiKeyRepository } from '@inventory/service/access';
import { stockWriteRoutes } from './stock-write.routes';
import { mountApiKeyRoutes } from './api-key.routes';
import { DASHBOARD_PATH, queueDashboard } from './queue-dashboard';
import { getRestockStorm, postRestockStorm } from './restock-storm.route';
import { mountWebhookRoutes } from './webhook.routes';
import { mountLowStockThresholdRoute } from './low-stock-threshold.route';
import { mountPromiseRoutes } from './promise.routes';
import { mountStormPage } from './storm-page.route';

export interface WriteApiDeps {
  logger: Logger;
  metrics: Metrics;
  updater: InventoryUpdater;
  batches: BatchWriter;
  /** Reservations, transfers, safety stock. */
  promises: Promises;
  queue: RestockQueue;
  stormRecords: StormRecords;
  /** The storms' progress over time, for the storm page. */
  stormTimeline: StormTimeline;
  thresholds: LowStockThresholdRepository;
  webhooks: WebhookRepository;
  /** Webhook deliveries: shown in the dashboard, its failed set listed as dead letters. */
  webhookQueue: WebhookQueue;
  allowPrivateWebhookTargets: boolean;
  /** Who may call each route (apps/README.md#access-control). */
  access: AccessControl;
  apiKeys: { repository: ApiKeyRepository; directory: ApiKeyDirectory };
  /** Per principal, on stock writes. */
  writeLimit: RateLimit;
  readinessChecks: ReadinessCheck[];
  isDraining?: () => boolean;
}

export function createApp(deps: WriteApiDeps): ServiceApp {
  const { access } = deps;
  deps.metrics.collectedGauge(restockQueueDepth(deps.queue));
  return createServiceApp({
    app: 'write-api',
    logger: deps.logger,
    metrics: deps.metrics,
    readinessChecks: deps.readinessChecks,
    isDraining: deps.isDraining,
    directRoutes: stockWriteRoutes(deps.updater, deps.batches, { access, writeLimit: deps.writeLimit }),
    openApiDocument: openApiDocument(),
    mountRoutes: (router) => {
      router
        .route('/stress/restock')
        .post(access.guard('post', '/stress/restock'), jsonBody(), postRestockStorm(deps.queue, deps.stormRecords))
        .all(methodNotAllowed('POST'));
      router
        .route('/stress/restock/:stormId')
        .get(access.guard('get', '/stress/restock/{stormId}'), getRestockStorm(deps.stormRecords))
        .all(methodNotAllowed('GET'));
      mountStormPage(router, access, deps.stormRecords, deps.stormTimeline);
      mountLowStockThresholdRoute(router, access, deps.thresholds);
      mountPromiseRoutes(router, deps.promises, { access, writeLimit: deps.writeLimit });
      mountWebhookRoutes(router, access, {
        webhooks: deps.webhooks,
        queue: deps.webhookQueue,
        allowPrivateTargets: deps.allowPrivateWebhookTargets,
      });
      mountApiKeyRoutes(router, access, deps.apiKeys);
      router.use(DASHBOARD_PATH, dashboardSecurityHeaders, ...queueDashboard([deps.queue, deps.webhookQueue], access));
    },
  });
}
