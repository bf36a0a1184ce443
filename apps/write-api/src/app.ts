import type { Express } from 'express';
import { createServiceApp, jsonBody, methodNotAllowed, type ReadinessCheck } from '@inventory/http-server';
import type { InventoryUpdater } from '@inventory/inventory-service';
import type { Logger } from '@inventory/observability';
import { postInventoryUpdate } from './inventory-update.route';

export interface WriteApiDeps {
  logger: Logger;
  updater: InventoryUpdater;
  readinessChecks: ReadinessCheck[];
  isDraining?: () => boolean;
}

export function createApp(deps: WriteApiDeps): Express {
  return createServiceApp({
    app: 'write-api',
    logger: deps.logger,
    readinessChecks: deps.readinessChecks,
    isDraining: deps.isDraining,
    mountRoutes: (router) => {
      router.route('/inventory/update').post(jsonBody(), postInventoryUpdate(deps.updater)).all(methodNotAllowed('POST'));
    },
  });
}
