import { Queue } from 'bullmq';
import type { StockEvent } from '@inventory/domain/model';
import type { RedisConnection } from '@inventory/shared/redis';

export const WEBHOOK_QUEUE_NAME = 'webhooks';

/** One delivery: which webhook gets which event. The secret stays in DynamoDB, read at delivery. */
export interface WebhookDeliveryData {
  webhook_id: string;
  event: StockEvent;
}

export type WebhookQueue = Queue<WebhookDeliveryData, unknown, string>;

/** Completed deliveries kept at most (each ~1.3 KB). */
export const DELIVERIES_KEPT = 200_000;

/**
 * Deliveries keep going with backoff until their retry window closes (the worker decides, so
 * attempts is only a ceiling); then they fail for good and stay in the failed set — the dead
 * letters — for a week. Completed deliveries are kept a day, at most the newest 200,000 (~250 MB in
 * the queue's one slot: tools/capacity/README.md#redis-key-families): their job ids are what makes
 * an event enqueued twice (a consumer replaying a page after a kill, minutes later at most) one delivery.
 */
export function createWebhookQueue(connection: RedisConnection, prefix: string, backoffMs: number): WebhookQueue {
  return new Queue<WebhookDeliveryData, unknown, string>(WEBHOOK_QUEUE_NAME, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 10_000,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: { age: 24 * 3_600, count: DELIVERIES_KEPT },
      removeOnFail: { age: 7 * 24 * 3_600 },
    },
  });
}

/** A delivery's job id: the same webhook and event always make the same job (BullMQ ids may not hold ':'). */
export function deliveryJobId(webhookId: string, eventId: string): string {
  return `${webhookId}.${eventId}`;
}

/**
 * The Redis key of one webhook's undelivered events of one SKU, scored by version: a delivery
 * goes out only once nothing older of its SKU waits (the worker's order gate), so each receiver
 * sees a SKU's events in order however many deliveries run at once.
 */
export function skuOrderKey(prefix: string, webhookId: string, storeId: string, sku: string): string {
  return `${prefix}:${WEBHOOK_QUEUE_NAME}:order:${webhookId}:${storeId}/${sku}`;
}

/**
 * Enqueues the deliveries of events, in order: each joins its SKU's order set, then the queue.
 * Both steps are idempotent, so a consumer that dies between them and replays loses nothing and
 * doubles nothing; a set entry whose job never got queued is dropped by the worker's gate.
 */
export async function enqueueDeliveries(
  queue: WebhookQueue,
  connection: RedisConnection,
  deliveries: WebhookDeliveryData[],
): Promise<void> {
  if (deliveries.length === 0) return;
  const prefix = queue.opts.prefix ?? 'bull';
  const order = connection.pipeline();
  for (const { webhook_id, event } of deliveries) {
    order.zadd(skuOrderKey(prefix, webhook_id, event.store_id, event.sku), 'NX', event.version, deliveryJobId(webhook_id, event.event_id));
  }
  const results = await order.exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0];
  await queue.addBulk(
    deliveries.map((data) => ({ name: data.event.type, data, opts: { jobId: deliveryJobId(data.webhook_id, data.event.event_id) } })),
  );
}
