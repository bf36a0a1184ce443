import { deflateSync } from 'node:zlib';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { type InventoryTestEnvironment, jsonOf, prometheusSample, startInventoryTestEnvironment } from '@inventory/service/testing';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { startTestWriteApi, type TestWriteApi } from './write-api.testing';

describe('write-api', () => {
  let env: InventoryTestEnvironment;
  let api: TestWriteApi;

  const post = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    api.fetch(`/inventory/update`, { method: 'POST', headers, body });

  async function tableItemCount(): Promise<number> {
    const result = await env.backends.dynamodb.send(new ScanCommand({ TableName: env.config.DYNAMODB_TABLE, Select: 'COUNT' }));
    return result.Count ?? 0;
  }

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startTestWriteApi(env);
  });

  afterAll(async () => {
    await api.stop();
    await env.stop();
  });

  it('when an update is valid, then it answers the stored item and the table and counters hold it', async () => {
    const response = await post(JSON.stringify({ store_id: 'store-1', sku: 'SKU-1001', quantity: 150 }));
    expect(response.status).toBe(200);
    const item = await jsonOf(response);
    expect(item).toEqual({
      store_id: 'store-1',
      sku: 'SKU-1001',
      quantity: 150,
      updated_at: expect.stringMatching(/Z$/),
      version: 1,
      movement: expect.objectContaining({ delta: 150, quantity_before: 0, quantity_after: 150, version: 1, reason: 'correction' }),
    });
    expect(await env.backends.repository.listStoreItems('store-1')).toEqual([
      { store_id: 'store-1', sku: 'SKU-1001', quantity: 150, updated_at: item.updated_at },
    ]);
    expect(await env.backends.counters.store('store-1')).toEqual({ units: 150, skus: 1, updates: 1 });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('when updates are made, then GET /metrics counts them, times them by route and shows the restock queue', async () => {
    const scrape = async () => (await fetch(`${api.managementUrl}/metrics`)).text();
    const before = await scrape();
    await post(JSON.stringify({ store_id: 'store-m', sku: 'A', quantity: 1 }));
    await post(JSON.stringify({ store_id: 'store-m', sku: 'B', quantity: 2 }));
    await post(JSON.stringify({ store_id: 'store-m', sku: 'B', quantity: -2 }));
    const after = await scrape();

    const delta = (series: string) => prometheusSample(after, series) - prometheusSample(before, series);
    expect(delta('inventory_updates_total{app="test"}')).toBe(2);
    // A rejected update is the caller's mistake, visible by status; UpdateError counts our failures.
    expect(delta('inventory_update_errors_total{app="test"}')).toBe(0);
    expect(delta('http_request_duration_seconds_count{app="test",method="POST",route="/inventory/update",status_code="200"}')).toBe(2);
    expect(delta('http_request_duration_seconds_count{app="test",method="POST",route="/inventory/update",status_code="400"}')).toBe(1);
    expect(after).toMatch(/^inventory_restock_queue_jobs\{state="waiting",app="test"\} 0$/m);
  });

  it('when the caller sends an X-Request-Id, then it is echoed back', async () => {
    const response = await post(JSON.stringify({ store_id: 'store-1', sku: 'SKU-1001', quantity: 1 }), {
      'content-type': 'application/json',
      'x-request-id': 'till-42-abc',
    });
    expect(response.headers.get('x-request-id')).toBe('till-42-abc');
  });

  it('when unknown fields come along, then they are ignored', async () => {
    const response = await post(JSON.stringify({ store_id: 'store-x', sku: 'A', quantity: 2, colour: 'red' }));
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).not.toHaveProperty('colour');
  });

  const valid = { store_id: 'store-bad', sku: 'SKU-1', quantity: 1 };
  const badRequests: [string, () => Promise<Response>, number, string][] = [
    ['malformed JSON', () => post('{"store_id": "a",'), 400, 'request body is not valid JSON'],
    ['a body that is not an object', () => post('[1,2]'), 400, 'request body must be a JSON object'],
    ['a bare string body', () => post('"store-1"'), 400, 'request body is not valid JSON'],
    ['no store_id', () => post(JSON.stringify({ sku: 'a', quantity: 1 })), 400, 'store_id is required'],
    ['no sku', () => post(JSON.stringify({ store_id: 'a', quantity: 1 })), 400, 'sku is required'],
    ['no quantity', () => post(JSON.stringify({ store_id: 'a', sku: 'b' })), 400, 'quantity is required'],
    ['a numeric store_id', () => post(JSON.stringify({ ...valid, store_id: 12 })), 400, 'store_id must be a string'],
    ['a negative quantity', () => post(JSON.stringify({ ...valid, quantity: -1 })), 400, 'quantity must not be negative'],
    ['a fractional quantity', () => post(JSON.stringify({ ...valid, quantity: 2.5 })), 400, 'quantity must be a whole number'],
    ['a huge quantity', () => post(JSON.stringify({ ...valid, quantity: 2 ** 31 })), 400, 'quantity must be at most 2147483647'],
    ['a string quantity', () => post(JSON.stringify({ ...valid, quantity: '5' })), 400, 'quantity must be a number'],
    ['an empty store_id', () => post(JSON.stringify({ ...valid, store_id: '' })), 400, 'store_id must not be empty'],
    ['an over-long sku', () => post(JSON.stringify({ ...valid, sku: 'x'.repeat(129) })), 400, 'sku must be at most 128 characters'],
    ['a control character in sku', () => post(JSON.stringify({ ...valid, sku: 'a\nb' })), 400, 'sku must not contain control characters'],
    ['a body over 64 KB', () => post(JSON.stringify({ ...valid, pad: 'x'.repeat(70_000) })), 413, 'larger than the 64 KB limit'],
    [
      'text/plain',
      () => post(JSON.stringify(valid), { 'content-type': 'text/plain' }),
      415,
      'Content-Type must be application/json (got text/plain)',
    ],
    ['no content type', () => post(JSON.stringify(valid), {}), 415, 'Content-Type must be application/json'],
    [
      'a body that is not the gzip it claims',
      () => post(JSON.stringify(valid), { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
      400,
      'request body does not decode as its Content-Encoding (gzip)',
    ],
    [
      'a truncated deflate body',
      () => post(deflateSync(JSON.stringify(valid)).subarray(0, 6), { 'content-type': 'application/json', 'content-encoding': 'deflate' }),
      400,
      'does not decode as its Content-Encoding',
    ],
    ['a malformed %-escape in the path', () => api.fetch(`/stress/restock/%E0%A4%A`), 400, 'the path contains a malformed %-escape'],
    ['an unknown path', () => api.fetch(`/inventory/updates`, { method: 'POST' }), 404, 'no route for POST /inventory/updates'],
    ['the wrong method', () => api.fetch(`/inventory/update`), 405, 'GET is not allowed on /inventory/update; use POST'],
  ];

  it.each(badRequests)(
    'when the request has %s, then a 4xx JSON error names the problem and nothing is written',
    async (_name, send, status, message) => {
      const itemsBefore = await tableItemCount();
      const totalsBefore = await env.backends.counters.totals();

      const response = await send();

      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await jsonOf(response);
      expect(body.error.message).toContain(message);
      expect(body.request_id).toBeTruthy();
      expect(await tableItemCount()).toBe(itemsBefore);
      expect(await env.backends.counters.totals()).toEqual(totalsBefore);
    },
  );

  it('when 200 updates race on a few SKUs, then the counters equal the table', async () => {
    const skus = ['A', 'B', 'C', 'D'];
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        post(JSON.stringify({ store_id: 'store-race', sku: skus[i % skus.length], quantity: (i * 37) % 101 })),
      ),
    );
    expect(responses.filter((response) => response.status !== 200).map((response) => response.status)).toEqual([]);

    const table = await env.backends.repository.listStoreItems('store-race');
    const counted = await env.backends.counters.storeQuantities('store-race');
    expect(new Map(table.map((item) => [item.sku, item.quantity]))).toEqual(counted);
    const store = await env.backends.counters.store('store-race');
    expect(store).toMatchObject({ units: table.reduce((sum, item) => sum + item.quantity, 0), skus: 4 });
    // An update whose counter change arrives after a newer one's is (rightly) not applied.
    expect(store.updates).toBeGreaterThanOrEqual(4);
    expect(store.updates).toBeLessThanOrEqual(200);
    expect(await ledgerProblemsIn(env.backends, new Map(skus.map((sku) => [`store-race/${sku}`, 0])))).toEqual([]);
  });
});
