import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger, Metrics } from '@inventory/shared/observability';
import type { RedisConnection } from '@inventory/shared/redis';
import { skuOrderKey, WEBHOOK_QUEUE_NAME, type WebhookDeliveryData } from './webhook-delivery.queue';
import { checkWebhookTarget, type CheckedTarget } from './webhook-target.guard';
import { SIGNATURE_HEADER, webhookSignature } from './webhook-signature';
import type { Webhook } from './webhook.repository';

export interface WebhookDeliveryOptions {
  /** A `worker`-role connection; BullMQ duplicates it for its blocking reads. */
  connection: RedisConnection;
  prefix: string;
  /** The webhook of a delivery, or undefined once it was deleted (its deliveries are dropped). */
  webhookOf: (webhookId: string) => Promise<Webhook | undefined>;
  concurrency: number;
  /** How long a failing delivery is retried before it is dead-lettered (24 h, apps/README.md#events-and-webhooks). */
  retryForMs: number;
  backoffMs: number;
  timeoutMs: number;
  allowPrivateTargets: boolean;
  logger: Logger;
  metrics: Metrics;
}

/** How long a delivery waits before looking again when an older event of its SKU is still out. */
const ORDER_WAIT_MS = 100;

class DeliveryFailed extends Error {}

/** POSTs the body to the checked address (never re-resolving the name), within the timeout. */
function post(target: CheckedTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      target.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
        timeout: timeoutMs,
        lookup: (_hostname, options, callback) => {
          if ((options as { all?: boolean }).all)
            (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
              { address: target.address, family: target.family },
            ]);
          else callback(null, target.address, target.family);
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new DeliveryFailed(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * The webhook delivery worker (apps/README.md#events-and-webhooks). Each delivery is a signed JSON POST; a 2xx ends it,
 * anything else (or no answer) retries with exponential backoff until `retryForMs` has passed since
 * the event was queued, then it fails for good: the queue's failed set is the dead-letter list.
 * A slow receiver holds at most a quarter of the worker's slots, so others keep being served; and
 * a delivery waits while an older event of its SKU for the same webhook is still out (order gate).
 */
export function startWebhookDeliveryWorker(options: WebhookDeliveryOptions): Worker<WebhookDeliveryData> {
  const perWebhookSlots = Math.max(1, Math.floor(options.concurrency / 4));
  const inFlight = new Map<string, number>();
  const redis = options.connection;

  const process = async (job: Job<WebhookDeliveryData>, token?: string) => {
    const { webhook_id, event } = job.data;
    const orderKey = skuOrderKey(options.prefix, webhook_id, event.store_id, event.sku);
    const webhook = await options.webhookOf(webhook_id);
    if (!webhook) {
      await redis.zrem(orderKey, job.id ?? '');
      return { dropped: 'webhook deleted' };
    }
    if (!(await firstOfItsSku(job, orderKey)) || (inFlight.get(webhook_id) ?? 0) >= perWebhookSlots) {
      await job.moveToDelayed(Date.now() + ORDER_WAIT_MS, token);
      throw new DelayedError();
    }
    inFlight.set(webhook_id, (inFlight.get(webhook_id) ?? 0) + 1);
    try {
      const body = JSON.stringify(event);
      const target = await checkWebhookTarget(webhook.url, options.allowPrivateTargets);
      const status = await post(
        target,
        {
          [SIGNATURE_HEADER]: webhookSignature(body, webhook.secret),
          'X-Inventory-Event': event.type,
          'X-Inventory-Event-Id': event.event_id,
          'X-Inventory-Delivery-Attempt': String(job.attemptsMade + 1),
          'user-agent': 'inventory-platform-webhooks',
        },
        body,
        options.timeoutMs,
      );
      if (status < 200 || status > 299) throw new DeliveryFailed(`receiver answered ${status}`);
      await redis.zrem(orderKey, job.id ?? '');
      options.metrics.count('WebhookDelivered');
      return { status };
    } catch (error) {
      const nextDelay = options.backoffMs * 2 ** job.attemptsMade;
      if (Date.now() + nextDelay - job.timestamp > options.retryForMs) {
        // Out of time: dead-lettered, and no longer holding back the SKU's later events.
        await redis.zrem(orderKey, job.id ?? '');
        options.metrics.count('WebhookDeadLettered');
        throw new UnrecoverableError(`gave up after ${job.attemptsMade + 1} attempts: ${(error as Error).message}`);
      }
      throw error;
    } finally {
      inFlight.set(webhook_id, (inFlight.get(webhook_id) ?? 1) - 1);
    }
  };

  /** Whether nothing older of the job's SKU waits; entries whose job is gone or finished are dropped. */
  const firstOfItsSku = async (job: Job<WebhookDeliveryData>, orderKey: string): Promise<boolean> => {
    for (;;) {
      const [head, score] = await redis.zrange(orderKey, '0', '0', 'WITHSCORES');
      if (head === undefined || head === job.id || Number(score) >= job.data.event.version) return true;
      const older = await Job.fromId(worker, head);
      const state = older ? await older.getState() : 'unknown';
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
      await redis.zrem(orderKey, head);
    }
  };

  const worker: Worker<WebhookDeliveryData> = new Worker<WebhookDeliveryData>(WEBHOOK_QUEUE_NAME, process, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    // A killed pod's deliveries go back to the queue once their lock lapses (the delivery timeout
    // and 5 s) and a stall check runs (every 5 s), not BullMQ's default 30 s of each; meanwhile
    // their SKUs' later events wait behind them (the order gate).
    lockDuration: options.timeoutMs + 5_000,
    stalledInterval: 5_000,
  });
  worker.on('failed', (job, error) => {
    const final = error instanceof UnrecoverableError;
    options.logger[final ? 'error' : 'warn'](
      { err: error, job_id: job?.id, attempts: job?.attemptsMade },
      final ? 'webhook delivery dead-lettered' : 'webhook delivery failed; retrying with backoff',
    );
  });
  worker.on('error', (error) => options.logger.error({ err: error }, 'webhook worker error'));
  return worker;
}
