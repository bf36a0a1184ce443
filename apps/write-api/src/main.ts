import { connectRedis, createRateLimits, runInventoryService } from '@inventory/service/bootstrap';
import { BatchWriter, InFlightKeys, InventoryUpdater } from '@inventory/stock/store-update';
import { createRestockQueue, StormRecords, StormTimeline } from '@inventory/restock/queue';
import { LowStockThresholdRepository } from '@inventory/stock/table';
import { createWebhookQueue, WebhookRepository } from '@inventory/events/webhooks';
import { createApp } from './app';

runInventoryService('write-api', ({ config, logger, metrics, backends, isDraining }) => {
  const inFlight = new InFlightKeys({ connection: backends.redis, keys: backends.keys, holdMs: config.IDEMPOTENCY_IN_FLIGHT_MS, logger });
  const updater = new InventoryUpdater({ writes: backends.writes, counters: backends.counters, logger, metrics, inFlight });
  const batches = new BatchWriter({
    updater,
    writes: backends.writes,
    repository: backends.repository,
    counters: backends.counters,
    logger,
    inFlight,
  });
  // BullMQ defines its ~40 scripts on the connection it is given, and ioredis copies every defined
  // script onto each auto-pipeline it builds: on the update path's connection that cost every
  // update measurable CPU, so the queue has a connection of its own.
  const queueConnection = connectRedis(config, 'command', 'write-api-queue');
  const queue = createRestockQueue(queueConnection, config.RESTOCK_QUEUE_PREFIX);
  const webhookQueue = createWebhookQueue(queueConnection, config.RESTOCK_QUEUE_PREFIX, config.WEBHOOK_BACKOFF_MS);
  // The limits' scripts on a connection of their own too, for the same reason.
  const limitsConnection = connectRedis(config, 'command', 'write-api-limits');
  const limits = createRateLimits(config, limitsConnection, metrics, logger);
  // Here a storm can only end by failing to dispatch; workers count the other endings.
  const stormRecords = new StormRecords(backends.redis, config.RESTOCK_QUEUE_PREFIX, (_stormId, outcome) =>
    metrics.count('RestockCompleted', 1, { outcome }),
  );
  return {
    app: createApp({
      logger,
      metrics,
      updater,
      batches,
      queue,
      stormRecords,
      stormTimeline: new StormTimeline(backends.redis, config.RESTOCK_QUEUE_PREFIX),
      thresholds: new LowStockThresholdRepository(backends.dynamodb, config.DYNAMODB_TABLE, { timeoutMs: config.DYNAMODB_TIMEOUT_MS }),
      webhooks: new WebhookRepository(backends.dynamodb, config.DYNAMODB_TABLE, { timeoutMs: config.DYNAMODB_TIMEOUT_MS }),
      webhookQueue,
      allowPrivateWebhookTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      operatorToken: config.OPERATOR_TOKEN,
      writeLimit: limits.writes,
      operatorFailureLimit: limits.operatorFailures,
      readinessChecks: backends.readinessChecks,
      isDraining,
    }),
    closeClients: [
      { name: 'restock queue', run: () => queue.close() },
      { name: 'webhook queue', run: () => webhookQueue.close() },
      { name: 'queue connection', run: () => queueConnection.quit() },
      { name: 'limits connection', run: () => limitsConnection.quit() },
    ],
  };
});
