import { InventoryUpdater, runInventoryService } from '@inventory/inventory-service';
import { createRestockQueue, StormRecords } from '@inventory/restock-queue';
import { createApp } from './app';

runInventoryService('write-api', ({ config, logger, backends, isDraining }) => {
  const updater = new InventoryUpdater({ repository: backends.repository, counters: backends.counters, logger });
  const queue = createRestockQueue(backends.redis, config.RESTOCK_QUEUE_PREFIX);
  const stormRecords = new StormRecords(backends.redis, config.RESTOCK_QUEUE_PREFIX);
  return {
    app: createApp({
      logger,
      updater,
      queue,
      stormRecords,
      operatorToken: config.OPERATOR_TOKEN,
      readinessChecks: backends.readinessChecks,
      isDraining,
    }),
    closeClients: [{ name: 'restock queue', run: () => queue.close() }],
  };
});
