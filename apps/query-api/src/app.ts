import { openApiDocument } from '@inventory/shared/api-contract';
import { createServiceApp, type ReadinessCheck, type ServiceApp } from '@inventory/shared/http-server';
import type { MovementHistoryRepository } from '@inventory/stock/movements';
import type { Logger, Metrics } from '@inventory/shared/observability';
import { mountMovementHistory } from './movement-history.routes';
import type { AccessControl } from '@inventory/service/access';
import type { QueryReaders } from './query-readers';
import { mountSkuReads, mountStoreChanges } from './sku-read.routes';
import { mountPromiseReads } from './promise-read.routes';
import { storeInventoryRoute } from './store-inventory.route';

export interface QueryApiDeps extends QueryReaders {
  logger: Logger;
  metrics: Metrics;
  history: MovementHistoryRepository;
  /** Who may call each route (apps/README.md#access-control). */
  access: AccessControl;
  readinessChecks: ReadinessCheck[];
  isDraining?: () => boolean;
}

export function createApp(deps: QueryApiDeps): ServiceApp {
  return createServiceApp({
    app: 'query-api',
    logger: deps.logger,
    metrics: deps.metrics,
    readinessChecks: deps.readinessChecks,
    isDraining: deps.isDraining,
    directRoutes: [storeInventoryRoute(deps.reader, deps.access)],
    openApiDocument: openApiDocument(),
    mountRoutes: (router) => {
      mountSkuReads(router, deps.skus, deps.access);
      mountStoreChanges(router, deps.deltas, deps.access);
      mountPromiseReads(router, deps.promises, deps.access);
      mountMovementHistory(router, deps.history, deps.access);
    },
  });
}
