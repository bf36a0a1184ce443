import { createServiceApp, type ReadinessCheck, type ServiceApp } from '@inventory/http-server';
import type { StoreInventoryReader } from '@inventory/inventory-service';
import type { Logger, Metrics } from '@inventory/observability';
import { storeInventoryRoute } from './store-inventory.route';

export interface QueryApiDeps {
  logger: Logger;
  metrics: Metrics;
  reader: StoreInventoryReader;
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
  });
}
