import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LowStockThresholdRepository } from '@inventory/events/low-stock';
import type { Logger, Metrics } from '@inventory/shared/observability';
import { cachedWebhooks, enqueueDeliveries, type WebhookQueue, WebhookRepository, webhookSecretBox } from '@inventory/events/webhooks';
import { type CounterCatchUp, type MovementLedger, type PromisesAround, StockEventProcessor } from './stock-event.processor';

/** How stale a process's copy of the registered webhooks may be. */
const WEBHOOKS_TTL_MS = 2_000;

export interface StockEventProcessorDeps {
  backends: {
    dynamodb: DynamoDBClient;
    dynamodbTimeoutMs: number;
    history: MovementLedger;
    promiseRecords: PromisesAround;
    counters: CounterCatchUp;
  };
  config: { DYNAMODB_TABLE: string; WEBHOOK_SECRET_KEY?: string | undefined };
  /** Where deliveries are queued, and the connection their order gates are kept on. */
  queue: WebhookQueue;
  queueConnection: Parameters<typeof enqueueDeliveries>[1];
  logger: Logger;
  metrics: Metrics;
}

/**
 * The processor over a process's backends, as the events role runs it, with its cached copy of the
 * registered webhooks (the role's deliveries look them up too); an operator's replay of dead letters
 * (`npm run data:events-dead-letters -- --replay`) hands its records to the same.
 */
export function composeStockEventProcessor({ backends, config, queue, queueConnection, logger, metrics }: StockEventProcessorDeps) {
  const timeout = { timeoutMs: backends.dynamodbTimeoutMs };
  const webhooks = cachedWebhooks(
    new WebhookRepository(backends.dynamodb, config.DYNAMODB_TABLE, webhookSecretBox(config.WEBHOOK_SECRET_KEY), timeout),
    WEBHOOKS_TTL_MS,
  );
  const processor = new StockEventProcessor({
    history: backends.history,
    promises: backends.promiseRecords,
    counters: backends.counters,
    thresholds: new LowStockThresholdRepository(backends.dynamodb, config.DYNAMODB_TABLE, timeout),
    webhooks: webhooks.list,
    deliver: (deliveries) => enqueueDeliveries(queue, queueConnection, deliveries),
    logger,
    metrics,
  });
  return { processor, webhooks };
}
