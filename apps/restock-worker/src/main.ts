import { runInventoryService } from '@inventory/inventory-service';
import { createApp } from './app';

runInventoryService('restock-worker', ({ logger, backends, isDraining }) => ({
  app: createApp({ logger, readinessChecks: backends.readinessChecks, isDraining }),
}));
