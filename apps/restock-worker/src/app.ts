import { createServiceApp, type ReadinessCheck, type ServiceApp } from '@inventory/shared/http-server';
import type { Logger, Metrics } from '@inventory/shared/observability';

export interface RestockWorkerDeps {
  logger: Logger;
  metrics: Metrics;
  readinessChecks: ReadinessCheck[];
  isDraining?: () => boolean;
}

/** The worker's HTTP face: probes only. Restock jobs arrive through the queue, not HTTP. */
export function createApp(deps: RestockWorkerDeps): ServiceApp {
  return createServiceApp({
    app: 'restock-worker',
    logger: deps.logger,
    metrics: deps.metrics,
    readinessChecks: deps.readinessChecks,
    isDraining: deps.isDraining,
  });
}
