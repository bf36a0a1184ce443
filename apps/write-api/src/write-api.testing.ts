import { type RunningServer, type ServedRoute, startHttpServer } from '@inventory/shared/http-server';
import { BatchWriter, InFlightKeys, InventoryUpdater } from '@inventory/stock/store-update';
import { createServiceMetrics } from '@inventory/service/bootstrap';
import { type InventoryTestEnvironment, writeApiLimits } from '@inventory/service/testing';
import { createRestockQueue, type RestockQueue, StormRecords, StormTimeline } from '@inventory/restock/queue';
import { LowStockThresholdRepository } from '@inventory/stock/table';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { createWebhookQueue, WebhookRepository, type WebhookQueue } from '@inventory/events/webhooks';
import { createApp } from './app';

export interface TestWriteApi {
  /** The routes it serves, for the contract test. */
  routes: ServedRoute[];
  server: RunningServer;
  url: string;
  queue: RestockQueue;
  webhookQueue: WebhookQueue;
  updater: InventoryUpdater;
  stop: () => Promise<void>;
}

/**
 * write-api on a free port over the test environment, its queues under the environment's prefix
 * (their keys removed on stop).
 * `ownMetrics` gives it a metrics registry of its own, closed on stop: for a second pod, or a
 * restarted one, in the same test process.
 */
export async function startTestWriteApi(
  env: InventoryTestEnvironment,
  options: { operatorToken?: string; ownMetrics?: boolean } = {},
): Promise<TestWriteApi> {
  const metrics = options.ownMetrics ? createServiceMetrics(env.config, 'test', env.logger) : env.metrics;
  const inFlight = new InFlightKeys({
    connection: env.backends.redis,
    keys: env.backends.keys,
    holdMs: env.config.IDEMPOTENCY_IN_FLIGHT_MS,
    logger: env.logger,
  });
  const updater = new InventoryUpdater({
    writes: env.backends.writes,
    counters: env.backends.counters,
    logger: env.logger,
    metrics,
    inFlight,
  });
  const batches = new BatchWriter({
    updater,
    writes: env.backends.writes,
    repository: env.backends.repository,
    counters: env.backends.counters,
    logger: env.logger,
    inFlight,
  });
  const prefix = `{restock-${env.config.REDIS_KEY_PREFIX}}`;
  const queue = createRestockQueue(env.backends.redis, prefix);
  const webhookQueue = createWebhookQueue(env.backends.redis, prefix, env.config.WEBHOOK_BACKOFF_MS);
  const app = createApp({
    logger: env.logger,
    metrics,
    updater,
    batches,
    queue,
    stormRecords: new StormRecords(env.backends.redis, prefix),
    stormTimeline: new StormTimeline(env.backends.redis, prefix),
    thresholds: new LowStockThresholdRepository(env.backends.dynamodb, env.config.DYNAMODB_TABLE),
    webhooks: new WebhookRepository(env.backends.dynamodb, env.config.DYNAMODB_TABLE),
    webhookQueue,
    allowPrivateWebhookTargets: env.config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    operatorToken: options.operatorToken,
    readinessChecks: [],
    ...writeApiLimits(env),
  });
  const server = await startHttpServer(app, 0, '127.0.0.1');
  return {
    routes: app.routes,
    server,
    url: `http://127.0.0.1:${server.port}`,
    queue,
    webhookQueue,
    updater,
    stop: async () => {
      await server.stop(1_000, 10);
      await queue.close();
      await webhookQueue.close();
      if (env.backends.redis.status === 'ready') await deleteKeysWithPrefix(env.backends.redis, prefix);
      if (options.ownMetrics) await metrics.close(1_000);
    },
  };
}
