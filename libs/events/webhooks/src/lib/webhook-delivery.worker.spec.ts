import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import type { StockEvent } from '@inventory/domain/model';
import { createLogger, Metrics } from '@inventory/shared/observability';
import { createRedisConnection, deleteKeysWithPrefix, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { createWebhookQueue, enqueueDeliveries, type WebhookQueue } from './webhook-delivery.queue';
import { startWebhookDeliveryWorker } from './webhook-delivery.worker';
import type { Webhook } from './webhook.repository';

const logger = createLogger({ app: 'test', level: 'silent' });

/**
 * A receiver on this machine: records each event it is sent, answers with `status(event, attempt)`
 * after `delayMs`, or once `held` settles (a receiver stuck until the spec lets it go).
 */
async function receiver(delayMs: number | Promise<unknown>, status: (event: StockEvent, attempt: number) => number = () => 200) {
  const got: Array<{ event: StockEvent; at: number; status: number }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const event = JSON.parse(body) as StockEvent;
      const answer = status(event, Number(req.headers['x-inventory-delivery-attempt']));
      const respond = () => {
        got.push({ event, at: Date.now(), status: answer });
        res.writeHead(answer).end();
      };
      if (typeof delayMs === 'number') setTimeout(respond, delayMs);
      else void delayMs.then(respond);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { got, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

const event = (sku: string, version: number): StockEvent => ({
  event_id: `m-${sku}-${version}`,
  type: 'stock.movement',
  store_id: 'store-1',
  sku,
  version,
  quantity: version,
  available: version,
  at: new Date().toISOString(),
  movement: {} as StockEvent['movement'],
});

describe('webhook deliveries (BullMQ on a real Redis, receivers on this machine)', () => {
  let redis: RedisConnection;
  let worker: Worker | undefined;
  let queue: WebhookQueue;
  const servers: Server[] = [];
  let prefix: string;
  const metrics = new Metrics({ app: 'test', environment: 'test', enabled: true, logger });

  const start = (webhooks: Webhook[], allowPrivateTargets = true) => {
    worker = startWebhookDeliveryWorker({
      connection: redis,
      prefix,
      webhookOf: async (id) => webhooks.find((webhook) => webhook.webhook_id === id),
      concurrency: 8,
      retryForMs: 60_000,
      backoffMs: 100,
      timeoutMs: 10_000,
      allowPrivateTargets,
      logger,
      metrics,
    });
  };
  const webhook = (url: string): Webhook => ({
    webhook_id: `wh-${randomUUID()}`,
    url,
    events: ['stock.movement'],
    created_at: new Date().toISOString(),
    secret: 'x'.repeat(16),
  });

  beforeAll(async () => {
    redis = createRedisConnection({ redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', role: 'worker' });
    await waitUntilReady(redis);
  });

  beforeEach(() => {
    prefix = `{webhooks-test-${randomUUID().slice(0, 8)}}`;
    queue = createWebhookQueue(redis, prefix, 100);
  });

  afterEach(async () => {
    await worker?.close();
    await queue.close();
    for (const server of servers.splice(0)) server.close();
    await deleteKeysWithPrefix(redis, prefix);
  });

  afterAll(async () => {
    await redis.quit();
    await metrics.close(1_000);
  });

  it('when one receiver answers slowly, then another receiver still gets its deliveries at once', async () => {
    let letSlowAnswer = () => undefined as void;
    const slow = await receiver(new Promise<void>((resolve) => (letSlowAnswer = resolve)));
    const fast = await receiver(0);
    servers.push(slow.server, fast.server);
    const slowHook = webhook(slow.url);
    const fastHook = webhook(fast.url);
    start([slowHook, fastHook]);
    const began = Date.now();
    // The slow receiver's 20 events (20 SKUs) go first, then the fast one's 5.
    await enqueueDeliveries(
      queue,
      redis,
      Array.from({ length: 20 }, (_, i) => ({ webhook_id: slowHook.webhook_id, event: event(`S${i}`, 1) })),
    );
    await enqueueDeliveries(
      queue,
      redis,
      Array.from({ length: 5 }, (_, i) => ({ webhook_id: fastHook.webhook_id, event: event(`F${i}`, 1) })),
    );
    while (fast.got.length < 5 && Date.now() - began < 10_000) await new Promise((resolve) => setTimeout(resolve, 50));
    // All five arrived while the slow receiver, holding its first deliveries, had answered none.
    expect(fast.got).toHaveLength(5);
    expect(slow.got).toHaveLength(0);
    letSlowAnswer();
  });

  it("when a SKU's older event fails once, then its newer events wait for it: the receiver gets them in version order", async () => {
    const flaky = await receiver(0, (delivered, attempt) => (delivered.version === 1 && attempt === 1 ? 500 : 200));
    servers.push(flaky.server);
    const hook = webhook(flaky.url);
    start([hook]);
    await enqueueDeliveries(
      queue,
      redis,
      [1, 2, 3].map((version) => ({ webhook_id: hook.webhook_id, event: event('A', version) })),
    );
    const began = Date.now();
    while (flaky.got.filter((delivery) => delivery.status === 200).length < 3 && Date.now() - began < 10_000)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(flaky.got.map((delivery) => [delivery.event.version, delivery.status])).toEqual([
      [1, 500],
      [1, 200],
      [2, 200],
      [3, 200],
    ]);
  });

  it('when a target resolves to a private address at delivery and private targets are not allowed, then nothing is sent to it', async () => {
    const internal = await receiver(0);
    servers.push(internal.server);
    // Registered when it still looked public (a rebinding name): the check at delivery refuses it.
    const hook = webhook(internal.url);
    start([hook], false);
    await enqueueDeliveries(queue, redis, [{ webhook_id: hook.webhook_id, event: event('A', 1) }]);
    const began = Date.now();
    let failed: string | undefined;
    while (!failed && Date.now() - began < 10_000) {
      const [job] = await queue.getJobs(['delayed', 'failed']);
      failed = job?.failedReason;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(failed).toMatch(/127\.0\.0\.1, which is not a public address/);
    expect(internal.got).toEqual([]);
  });
});
