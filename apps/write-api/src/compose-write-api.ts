import { closeConnection, waitUntilReady } from '@inventory/shared/redis';
import { connectRedis, createRateLimits, type ServiceContext, type ServiceParts } from '@inventory/service/bootstrap';
import { createStockWriters, type InventoryUpdater } from '@inventory/stock/store-update';
import { createPromises, type Promises } from '@inventory/stock/promises';
import { createRestockQueue, type RestockQueue } from '@inventory/restock/queue';
import { StormRecords, StormTimeline } from '@inventory/restock/storm';
import { LowStockThresholdRepository } from '@inventory/events/low-stock';
import { createWebhookQueue, type WebhookQueue, WebhookRepository, webhookSecretBox } from '@inventory/events/webhooks';
import { createPlatformAccess } from '@inventory/service/access';
import { createApp } from './app';

/** What write-api is made of, beyond what it serves: its queues and writer, for tests that drive them. */
export interface WriteApiParts extends ServiceParts {
  queue: RestockQueue;
  webhookQueue: WebhookQueue;
  updater: InventoryUpdater;
  promises: Promises;
}

/** write-api's composition root: main.ts runs it, and so does every write-api spec (write-api.testing.ts). */
export function composeWriteApi({ config, logger, metrics, backends, isDraining }: ServiceContext): WriteApiParts {
  const writers = createStockWriters({ backends, config, logger, metrics });
  const { updater, batches } = writers;
  const promises = createPromises({
    client: backends.dynamodb,
    writes: backends.writes,
    writers,
    logger,
    metrics,
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
  const access = createPlatformAccess(config, {
    dynamodb: backends.dynamodb,
    dynamodbTimeoutMs: backends.dynamodbTimeoutMs,
    redis: backends.redis,
    logger,
    credentialFailures: limits.credentialFailures,
  });
  // Here a storm can only end by failing to dispatch; workers count the other endings.
  const stormRecords = new StormRecords(backends.redis, config.RESTOCK_QUEUE_PREFIX, (_stormId, outcome) =>
    metrics.count('RestockCompleted', 1, { outcome }),
  );
  const tableOptions = { timeoutMs: backends.dynamodbTimeoutMs };
  return {
    app: createApp({
      logger,
      metrics,
      updater,
      batches,
      promises,
      queue,
      stormRecords,
      stormTimeline: new StormTimeline(backends.redis, config.RESTOCK_QUEUE_PREFIX),
      thresholds: new LowStockThresholdRepository(backends.dynamodb, config.DYNAMODB_TABLE, tableOptions),
      webhooks: new WebhookRepository(backends.dynamodb, config.DYNAMODB_TABLE, webhookSecretBox(config.WEBHOOK_SECRET_KEY), tableOptions),
      webhookQueue,
      allowPrivateWebhookTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      access: access.access,
      apiKeys: access.apiKeys,
      writeLimit: limits.writes,
      readinessChecks: backends.readinessChecks,
      isDraining,
    }),
    ready: () => {
      access.start();
      // Every pod sweeps expired holds: each hold ends once whoever sweeps it (libs/stock/README.md#promises).
      promises.sweeper.start();
      return Promise.all([waitUntilReady(queueConnection, 3_000), waitUntilReady(limitsConnection, 3_000)]);
    },
    closeClients: [
      { name: 'access', run: () => access.stop() },
      { name: 'expiry sweeper', run: () => promises.sweeper.stop() },
      { name: 'restock queue', run: () => queue.close() },
      { name: 'webhook queue', run: () => webhookQueue.close() },
      { name: 'queue connection', run: () => closeConnection(queueConnection) },
      { name: 'limits connection', run: () => closeConnection(limitsConnection) },
    ],
    queue,
    webhookQueue,
    updater,
    promises,
  };
}
