import type { Express } from 'express';
import { createServiceApp, type ReadinessCheck } from '@inventory/http-server';
import type { Logger } from '@inventory/observability';

export interface RestockWorkerDeps {
  logger: Logger;
  readinessChecks: ReadinessCheck[];
  isDraining?: () => boolean;
}

/** The worker's HTTP face: probes only. Restock jobs arrive through the queue, not HTTP. */
export function createApp(deps: RestockWorkerDeps): Express {
  return createServiceApp({
    app: 'restock-worker',
    logger: deps.logger,
    readinessChecks: deps.readinessChecks,
    isDraining: deps.isDraining,
    mountRoutes: () => undefined,
  });
}
