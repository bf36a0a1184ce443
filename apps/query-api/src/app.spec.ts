import { gunzipSync } from 'node:zlib';
import type { InventoryUpdater } from '@inventory/stock/store-update';
import {
  type InventoryTestEnvironment,
  jsonOf,
  prometheusSample,
  type ServedForTest,
  startInventoryTestEnvironment,
} from '@inventory/service/testing';
import { testUpdater } from '@inventory/stock/store-update/testing';
import { setQuantityInTableOnly } from '@inventory/stock/inventory-table/testing';
import { startLocalCloudWatch, startLocalRedis } from '@inventory/shared/local-services';
import { startQueryApi } from './query-api.testing';

/** What each read item adds to the original's fields when nothing of it is promised (`available` = on hand). */
const NOTHING_PROMISED = { reserved: 0, available: 0, incoming: 0, safety_stock: 0, promised_at_risk: 0 };

describe('query-api', () => {
  let env: InventoryTestEnvironment;
  let api: ServedForTest;
  let updater: InventoryUpdater;

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startQueryApi(env);
    updater = testUpdater(env);
    await updater.update({ store_id: 'store-1', sku: 'SKU-1001', quantity: 150 });
    await updater.update({ store_id: 'store-1', sku: 'SKU-1002', quantity: 0 });
  });

  afterAll(async () => {
    await api.stop();
    await env.stop();
  });

  it('when /health is asked, then it answers the original shape plus the app name', async () => {
    const response = await api.fetch(`/health`);
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body).toEqual({ status: 'healthy', service: 'inventory-service', app: 'query-api', timestamp: expect.any(String) });
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('when dependencies answer, then /ready is 200 and names each check', async () => {
    const response = await fetch(`${api.managementUrl}/ready`);
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ status: 'ready', checks: { dynamodb: 'ok', memorydb: 'ok' } });
  });

  it("when a store is read, then it is a JSON array of the original's fields, unchanged and first, then what is promised of each", async () => {
    const response = await api.fetch(`/inventory/store/store-1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const items = await jsonOf(response);
    expect(items).toEqual([
      { store_id: 'store-1', sku: 'SKU-1001', quantity: 150, updated_at: expect.stringMatching(/Z$/), ...NOTHING_PROMISED, available: 150 },
      { store_id: 'store-1', sku: 'SKU-1002', quantity: 0, updated_at: expect.stringMatching(/Z$/), ...NOTHING_PROMISED },
    ]);
    expect(Object.keys(items[0])).toEqual(['store_id', 'sku', 'quantity', 'updated_at', ...Object.keys(NOTHING_PROMISED)]);
  });

  it('when the store is unknown, then the answer is 200 []', async () => {
    const response = await api.fetch(`/inventory/store/store-unknown`);
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual([]);
  });

  it('when a store is read twice, then the first says MISS and the second HIT', async () => {
    await updater.update({ store_id: 'store-2', sku: 'A', quantity: 1 });
    const first = await api.fetch(`/inventory/store/store-2`);
    const second = await api.fetch(`/inventory/store/store-2`);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(await jsonOf(second)).toEqual(await jsonOf(first));
  });

  it('when the client accepts gzip, then the body is gzip of the same JSON with the same ETag', async () => {
    const plain = await api.fetch(`/inventory/store/store-1`, { headers: { 'accept-encoding': 'identity' } });
    const raw = await rawGet(`${api.url}/inventory/store/store-1`, { 'accept-encoding': 'gzip', authorization: `Bearer ${env.adminKey}` });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers['vary']).toBe('Accept-Encoding');
    expect(JSON.parse(gunzipSync(raw.body).toString())).toEqual(await jsonOf(plain));
    expect(raw.headers['etag']).toBe(plain.headers.get('etag'));
  });

  it('when If-None-Match carries the current ETag, then the answer is 304 without a body, until the store changes', async () => {
    const first = await api.fetch(`/inventory/store/store-1`);
    const etag = first.headers.get('etag') ?? '';
    const again = await api.fetch(`/inventory/store/store-1`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    await updater.update({ store_id: 'store-1', sku: 'SKU-1001', quantity: 149 });
    const changed = await api.fetch(`/inventory/store/store-1`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect((await jsonOf(changed))[0].quantity).toBe(149);
  });

  it.each([
    ['too long', 'x'.repeat(129), 'storeId must be at most 128 characters'],
    ['with a control character', 'a%07b', 'storeId must not contain control characters'],
    ['with a brace', 'a%7Bb%7D', 'storeId may contain only'],
  ])('when the store id is %s, then 400 names the problem', async (_name, storeId, message) => {
    const response = await api.fetch(`/inventory/store/${storeId}`);
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error.message).toContain(message);
  });

  it('when the path is unknown, then 404 JSON names it', async () => {
    const response = await api.fetch(`/inventory/nothing`);
    expect(response.status).toBe(404);
    expect(await jsonOf(response)).toMatchObject({ error: { code: 'NOT_FOUND', message: 'no route for GET /inventory/nothing' } });
  });

  it('when the method is wrong, then 405 JSON with Allow', async () => {
    const response = await api.fetch(`/inventory/store/store-1`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect((await jsonOf(response)).error.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('query-api metrics', () => {
  let env: InventoryTestEnvironment;
  let api: ServedForTest;

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startQueryApi(env);
  });

  afterAll(async () => {
    await api.stop();
    await env.stop();
  });

  it('when stores are read, then GET /metrics counts the misses and hits and times every query', async () => {
    const scrape = async () => (await fetch(`${api.managementUrl}/metrics`)).text();
    const before = await scrape();
    for (let i = 0; i < 3; i += 1) expect((await api.fetch(`/inventory/store/metrics-store`)).status).toBe(200);
    await api.fetch(`/inventory/store/bad%20id`);
    const after = await scrape();

    const delta = (series: string) => prometheusSample(after, series) - prometheusSample(before, series);
    expect(delta('inventory_cache_misses_total{app="test"}')).toBe(1);
    expect(delta('inventory_cache_hits_total{app="test"}')).toBe(2);
    expect(delta('inventory_query_duration_seconds_count{app="test"}')).toBe(3);
    expect(delta('inventory_query_errors_total{app="test"}')).toBe(0);
    expect(delta('http_request_duration_seconds_count{app="test",method="GET",route="/inventory/store/:storeId",status_code="200"}')).toBe(
      3,
    );
    expect(delta('http_request_duration_seconds_count{app="test",method="GET",route="/inventory/store/:storeId",status_code="400"}')).toBe(
      1,
    );
    expect(after).toMatch(/^nodejs_heap_size_used_bytes\{app="test"\} \d+/m);
  });
});

describe('query-api with CloudWatch failing', () => {
  it('when CloudWatch hangs mid-flush, then reads still answer at once, and the metrics wait for the next flush', async () => {
    const cloudWatch = await startLocalCloudWatch();
    const env = await startInventoryTestEnvironment({ CLOUDWATCH_METRICS_ENABLED: 'true', CLOUDWATCH_ENDPOINT: cloudWatch.url });
    const api = await startQueryApi(env);
    try {
      await api.fetch(`/inventory/store/store-1`);
      cloudWatch.behave('hang');
      const publisher = env.metrics.cloudWatch;
      if (!publisher) throw new Error('CloudWatch is not configured');
      let flushed = false;
      const flushing = publisher.flush().finally(() => (flushed = true));

      for (let i = 0; i < 30; i += 1) {
        const response = await api.fetch(`/inventory/store/store-1`);
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }
      // Thirty reads answered while the flush still hangs: no read waits for it.
      expect(flushed).toBe(false);
      expect(cloudWatch.requests.length).toBe(1);

      cloudWatch.behave('fail');
      await cloudWatch.stop();
      await flushing;
      expect(publisher.stats).toMatchObject({ requestsFailed: 1, datumsSent: 0, datumsDropped: 0 });
    } finally {
      await api.stop();
      await env.stop();
      await cloudWatch.stop();
    }
  });
});

describe('query-api without Redis', () => {
  it('when Redis stops, then stores are still read from DynamoDB and readiness stays up, degraded', async () => {
    const redis = await startLocalRedis();
    const env = await startInventoryTestEnvironment({ REDIS_URL: redis.url });
    const api = await startQueryApi(env);
    try {
      const updater = testUpdater(env);
      await updater.update({ store_id: 'store-9', sku: 'A', quantity: 5 });
      expect((await api.fetch(`/inventory/store/store-9`)).headers.get('x-cache')).toBe('MISS');

      await redis.stop();
      await setQuantityInTableOnly(env.backends.writes, 'store-9', 'A', 6);
      const response = await api.fetch(`/inventory/store/store-9`);

      expect(response.status).toBe(200);
      expect(response.headers.get('x-cache')).toBe('BYPASS');
      expect((await jsonOf(response))[0].quantity).toBe(6);
      const ready = await fetch(`${api.managementUrl}/ready`);
      expect(ready.status).toBe(200);
      expect(await jsonOf(ready)).toMatchObject({ status: 'degraded', checks: { dynamodb: 'ok' } });
    } finally {
      await api.stop();
      await env.stop();
      await redis.stop();
    }
  });
});

/** fetch() would inflate gzip itself; this shows the bytes as sent. */
async function rawGet(url: string, headers: Record<string, string>) {
  const { request } = await import('node:http');
  return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}
