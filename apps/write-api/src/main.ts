import { InventoryUpdater, runInventoryService } from '@inventory/inventory-service';
import { createApp } from './app';

runInventoryService('write-api', ({ logger, backends, isDraining }) => {
  const updater = new InventoryUpdater({ repository: backends.repository, counters: backends.counters, logger });
  return { app: createApp({ logger, updater, readinessChecks: backends.readinessChecks, isDraining }) };
});
