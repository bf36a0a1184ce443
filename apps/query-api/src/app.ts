import { createServiceApp, type ReadinessCheck, type ServiceApp } from '@inventory/shared/http-server';
import type { StoreInventoryReader } from '@inventory/stock/store-read';
import type { MovementHistoryRepository } from '@inventory/stock/table';
import type { Logger, Metrics } from '@inventory/shared/observability';
import { mountMovementHistory } from './movement-history.routes';
import { storeInventoryRoute } from './store-inventory.route';

export interface QueryApiDeps {
  logger: Logger;
  metrics: Metrics;
  reader: StoreInventoryReader;
  history: MovementHistoryRepository;
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
    directRoutes: [storeInventoryRoute(deps.reader)],
    mountRoutes: (router) => mountMovementHistory(router, deps.history),
  });
}
