import { closeConnection } from '@inventory/shared/redis';
import type { ServiceContext, ServiceParts } from '@inventory/service/bootstrap';
import { connectRedis } from '@inventory/service/bootstrap';
import { EventDeadLetters, RetentionGaps } from '@inventory/stock/movements';
import { composeStockEventProcessor, createDynamoDbStreamsClient, startEventsConsumer } from '@inventory/events/stock-events';
import { createWebhookQueue, startWebhookDeliveryWorker } from '@inventory/events/webhooks';
import { createApp } from './app';

/** How often the events lag is sampled for CloudWatch. */
const LAG_SAMPLE_MS = 10_000;

/**
 * The events role (apps/README.md#events-and-webhooks), run from this image as a Deployment of its own: the table stream
 * into movements, counters and events (its shards shared by the pods, a lease each), and the webhook deliveries
 * (every pod).
 */
export function composeEventsRole({ config, logger, metrics, backends, isDraining }: ServiceContext): ServiceParts {
  const prefix = config.RESTOCK_QUEUE_PREFIX;
  const workerConnection = connectRedis(config, 'worker', 'events-deliveries');
  const queueConnection = connectRedis(config, 'command', 'events-queue');
  const queue = createWebhookQueue(queueConnection, prefix, config.WEBHOOK_BACKOFF_MS);
  const streams = createDynamoDbStreamsClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    timeoutMs: config.DYNAMODB_TIMEOUT_MS,
  });
  const { processor, webhooks } = composeStockEventProcessor({ backends, config, queue, queueConnection, logger, metrics });
  const consumer = startEventsConsumer({
    dynamodb: backends.dynamodb,
    streams,
    tableName: config.DYNAMODB_TABLE,
    processor,
    deadLetters: new EventDeadLetters(backends.dynamodb, config.DYNAMODB_TABLE, backends.dynamodbTimeoutMs),
    // A gap's stores are the counters': every platform write path counts the store it writes.
    retention: {
      gaps: new RetentionGaps(backends.dynamodb, config.DYNAMODB_TABLE, backends.dynamodbTimeoutMs),
      history: backends.history,
      stores: () => backends.counters.countedStoreIds(),
    },
    logger,
    metrics,
    idleMs: config.EVENTS_IDLE_MS,
    leaseMs: config.EVENTS_LEASE_MS,
    timeoutMs: backends.dynamodbTimeoutMs,
  });
  // Iterator age, what the alarm in k8s/README.md watches: 0 when caught up, however long the stream has been idle.
  const shardLags = () => consumer.reader.lag();
  // Sampled for CloudWatch too (EventsLagSeconds, its Maximum over pods the overall lag: the dashboard's alarm line).
  const lagSampler = setInterval(
    () => metrics.gauge('EventsLagSeconds', Math.max(0, ...shardLags().map(({ seconds }) => seconds))),
    LAG_SAMPLE_MS,
  );
  metrics.collectedGauge({
    name: 'inventory_events_shard_lag_seconds',
    help: 'Iterator age of each open stream shard this pod reads',
    labelNames: ['shard'],
    collect: async () => shardLags().map(({ shardId, seconds }) => ({ labels: { shard: shardId }, value: seconds })),
  });
  const deliveries = startWebhookDeliveryWorker({
    connection: workerConnection,
    prefix,
    webhookOf: webhooks.byId,
    concurrency: config.WEBHOOK_CONCURRENCY,
    retryForMs: config.WEBHOOK_RETRY_FOR_SECONDS * 1_000,
    backoffMs: config.WEBHOOK_BACKOFF_MS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    logger,
    metrics,
  });
  logger.info({ table: config.DYNAMODB_TABLE, webhook_concurrency: config.WEBHOOK_CONCURRENCY }, 'events consumer started');

  return {
    app: createApp({
      logger,
      metrics,
      readinessChecks: [...backends.readinessChecks, { name: 'queue', critical: true, check: () => workerConnection.ping() }],
      isDraining,
    }),
    stopWork: [
      // The page in hand is handled and checkpointed before the reader stops.
      {
        name: 'events consumer',
        run: () => {
          clearInterval(lagSampler);
          return consumer.stop();
        },
      },
      { name: 'webhook deliveries', run: () => deliveries.close() },
    ],
    closeClients: [
      { name: 'webhook queue', run: () => queue.close() },
      { name: 'queue connection', run: () => closeConnection(queueConnection) },
      { name: 'worker connection', run: () => closeConnection(workerConnection) },
      { name: 'streams client', run: async () => streams.destroy() },
    ],
  };
}
