import { type InventoryTestEnvironment, jsonOf, startInventoryTestEnvironment } from '@inventory/service/testing';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StockEvent } from '@inventory/domain/model';
import { LowStockThresholdRepository } from '@inventory/events/low-stock';
import { createRedisConnection } from '@inventory/shared/redis';
import { enqueueDeliveries, startWebhookDeliveryWorker, WebhookRepository, webhookSecretBox } from '@inventory/events/webhooks';
import { startTestWriteApi, type TestWriteApi } from './write-api.testing';

const TOKEN = 'events-admin-operator-token-0123456789abcdef0123';
const operator = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const GOOD = { url: 'https://93.184.216.34/hooks/stock', events: ['stock.low', 'stock.out'], secret: 'sixteen-chars-ok' };

describe('write-api low-stock thresholds and webhooks (operator)', () => {
  let env: InventoryTestEnvironment;
  let api: TestWriteApi;

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = operator) =>
    fetch(`${api.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    env = await startInventoryTestEnvironment({ LOCAL_ADMIN_KEY: TOKEN });
    api = await startTestWriteApi(env);
  });

  afterAll(async () => {
    await api?.stop();
    await env?.stop();
  });

  it('when an operator sets, changes and removes a threshold, then the consumer reads what was set last', async () => {
    const path = '/inventory/store/th-1/sku/SKU-1/threshold';
    expect(await jsonOf(await call('PUT', path, { low_stock_at: 5 }))).toEqual({ store_id: 'th-1', sku: 'SKU-1', low_stock_at: 5 });
    await call('PUT', '/inventory/store/th-1/sku/SKU-2/threshold', { low_stock_at: 0 });
    await call('PUT', path, { low_stock_at: 8 });
    const thresholds = new LowStockThresholdRepository(env.backends.dynamodb, env.config.DYNAMODB_TABLE);
    expect(await thresholds.ofStore('th-1')).toEqual(
      new Map([
        ['SKU-1', 8],
        ['SKU-2', 0],
      ]),
    );
    expect((await call('PUT', path, { low_stock_at: null })).status).toBe(200);
    expect(await thresholds.ofStore('th-1')).toEqual(new Map([['SKU-2', 0]]));
  });

  it.each([
    [{ low_stock_at: -1 }, 'low_stock_at', 'must not be negative'],
    [{ low_stock_at: 'five' }, 'low_stock_at', 'must be a whole number or null'],
    [{ low_stock_at: 2.5 }, 'low_stock_at', 'must be a whole number'],
    [{}, 'low_stock_at', 'is required'],
  ])('when a threshold is %j, then 400 names the field', async (body, field, problem) => {
    const response = await call('PUT', '/inventory/store/th-2/sku/SKU-1/threshold', body);
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error.details).toContainEqual({ field, problem });
  });

  it('when a threshold or a webhook is asked for without operator credentials, then 401', async () => {
    expect(
      (await call('PUT', '/inventory/store/th-3/sku/SKU-1/threshold', { low_stock_at: 1 }, { 'content-type': 'application/json' })).status,
    ).toBe(401);
    expect((await call('POST', '/admin/webhooks', GOOD, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await call('GET', '/admin/webhooks', undefined, {})).status).toBe(401);
  });

  it('when a webhook is registered, listed and deleted, then its secret is never shown', async () => {
    const created = await call('POST', '/admin/webhooks', GOOD);
    expect(created.status).toBe(201);
    const webhook = await jsonOf(created);
    expect(webhook).toEqual({
      webhook_id: expect.stringMatching(/^wh-/),
      url: GOOD.url,
      events: GOOD.events,
      created_at: expect.any(String),
    });
    expect(created.headers.get('location')).toBe(`/admin/webhooks/${webhook.webhook_id}`);
    const listed = await jsonOf(await call('GET', '/admin/webhooks'));
    expect(listed.webhooks).toContainEqual(webhook);
    expect(JSON.stringify(listed)).not.toContain(GOOD.secret);
    expect((await call('DELETE', `/admin/webhooks/${webhook.webhook_id}`)).status).toBe(204);
    expect((await jsonOf(await call('GET', '/admin/webhooks'))).webhooks).not.toContainEqual(webhook);
    expect((await call('DELETE', '/admin/webhooks/not-a-webhook')).status).toBe(404);
  });

  it.each([
    [{ ...GOOD, url: 'ftp://93.184.216.34/x' }, 'url', /http or https URL/],
    [{ ...GOOD, url: 'not a url' }, 'url', /http or https URL/],
    [{ ...GOOD, url: 'http://127.0.0.1:8080/hook' }, 'url', /127\.0\.0\.1, which is not a public address/],
    [{ ...GOOD, url: 'http://10.0.0.7/hook' }, 'url', /not a public address/],
    [{ ...GOOD, url: 'http://169.254.169.254/latest/meta-data/' }, 'url', /169\.254\.169\.254, which is not a public address/],
    [{ ...GOOD, url: 'http://[fd00:ec2::254]/' }, 'url', /not a public address/],
    [{ ...GOOD, url: 'http://localhost:9/hook' }, 'url', /not a public address/],
    [{ ...GOOD, secret: 'short' }, 'secret', /at least 16 characters/],
    [{ ...GOOD, events: [] }, 'events', /at least one event type/],
    [{ ...GOOD, events: ['stock.sold'] }, 'events.0', /must be one of/],
    [{ ...GOOD, events: ['stock.low', 'stock.low'] }, 'events', /twice/],
  ])('when a webhook is registered with %j, then 400 names the field and nothing is registered', async (body, field, problem) => {
    const before = (await jsonOf(await call('GET', '/admin/webhooks'))).webhooks.length;
    const response = await call('POST', '/admin/webhooks', body);
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error.details).toContainEqual({ field, problem: expect.stringMatching(problem) });
    expect((await jsonOf(await call('GET', '/admin/webhooks'))).webhooks).toHaveLength(before);
  });

  it('when a delivery is given up, then its dead letter is listed under its webhook, with the last error', async () => {
    const refusing = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    // Registered past the API's guard (a receiver on this machine), delivered by the real worker.
    const webhook = await new WebhookRepository(
      env.backends.dynamodb,
      env.config.DYNAMODB_TABLE,
      webhookSecretBox(env.config.WEBHOOK_SECRET_KEY),
    ).register({
      url: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/hook`,
      events: ['stock.out'],
      secret: GOOD.secret,
    });
    const workerConnection = createRedisConnection({ redisUrl: env.config.REDIS_URL, role: 'worker' });
    const worker = startWebhookDeliveryWorker({
      connection: workerConnection,
      prefix: api.webhookQueue.opts.prefix ?? '',
      webhookOf: async (id) => (id === webhook.webhook_id ? webhook : undefined),
      concurrency: 2,
      retryForMs: 300,
      backoffMs: 50,
      timeoutMs: 2_000,
      allowPrivateTargets: true,
      logger: env.logger,
      metrics: env.metrics,
    });
    const event = {
      event_id: 'm-1.stock.out',
      type: 'stock.out',
      store_id: 'dl-1',
      sku: 'SKU-1',
      version: 4,
      quantity: 0,
      at: new Date().toISOString(),
    };
    await enqueueDeliveries(api.webhookQueue, env.backends.redis, [{ webhook_id: webhook.webhook_id, event: event as StockEvent }]);
    let letters: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 100 && letters.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      letters = (await jsonOf(await call('GET', `/admin/webhooks/${webhook.webhook_id}/dead-letters`))).dead_letters;
    }
    await worker.close();
    await workerConnection.quit();
    refusing.close();
    expect(letters).toEqual([
      expect.objectContaining({
        event_id: 'm-1.stock.out',
        type: 'stock.out',
        store_id: 'dl-1',
        sku: 'SKU-1',
        version: 4,
        last_error: expect.stringMatching(/receiver answered 503/),
      }),
    ]);
    expect(letters[0]?.['attempts']).toBeGreaterThanOrEqual(2);
  });
});
