import { randomUUID } from 'node:crypto';
import { contractProblems, documentedPath, operationsOf, undocumentedRoutes } from '@inventory/shared/api-contract/testing';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { startTestWriteApi, type TestWriteApi } from './write-api.testing';

const TOKEN = 'contract-operator-token-0123456789abcdef01234567';

describe('write-api answers as the OpenAPI document says', () => {
  let env: InventoryTestEnvironment;
  let api: TestWriteApi;
  const covered = new Set<string>();

  /** Calls the route and holds its answer to the document; answers the status and body. */
  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string>; anonymous?: boolean } = {},
  ) {
    const init = {
      method,
      headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    };
    const response = await (options.anonymous ? fetch(`${api.url}${path}`, init) : api.fetch(path, init));
    const text = await response.text();
    const body = text && response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined;
    expect(contractProblems({ method, path, status: response.status, contentType: response.headers.get('content-type'), body })).toEqual(
      [],
    );
    covered.add(`${method} ${documentedPath(path)}`);
    return { status: response.status, body };
  }
  const operator = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    env = await startInventoryTestEnvironment({ LOCAL_ADMIN_KEY: TOKEN });
    api = await startTestWriteApi(env);
  });

  afterAll(async () => {
    await api?.stop();
    await env?.stop();
  });

  it('when every route is called, well and badly, then each answer has a documented status and the documented shape', async () => {
    const key = randomUUID();
    const set = { store_id: 'w1', sku: 'A', quantity: 3 };
    expect((await call('POST', '/inventory/update', { body: set, headers: { 'idempotency-key': key } })).body).toMatchObject({
      version: 1,
    });
    expect((await call('POST', '/inventory/update', { body: { ...set, quantity: 4 }, headers: { 'idempotency-key': key } })).status).toBe(
      422,
    );
    expect((await call('POST', '/inventory/update', { body: { ...set, change_from_quantity: 9 } })).status).toBe(409);
    expect((await call('POST', '/inventory/update', { body: { ...set, quantity: -1 } })).status).toBe(400);
    expect((await call('POST', '/inventory/update', { raw: 'quantity=3', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect(
      (
        await call('POST', '/inventory/update', {
          raw: JSON.stringify({ ...set, reference: 'x'.repeat(70_000) }),
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(413);
    expect(
      (await call('POST', '/inventory/adjust', { body: { store_id: 'w1', sku: 'A', delta: -1, reason: 'sale' } })).body.movement,
    ).toMatchObject({ delta: -1 });
    expect((await call('POST', '/inventory/adjust', { body: { store_id: 'w1', sku: 'A', delta: -10 } })).status).toBe(409);

    const batch = (error_policy: string, rows: unknown[]) => ({ body: { store_id: 'w1', error_policy, rows } });
    const applied = await call(
      'POST',
      '/inventory/batch',
      batch('reject_all', [
        { sku: 'B1', quantity: 5 },
        { sku: 'B2', delta: 2 },
      ]),
    );
    expect(applied.body.results.map((row: { status: string }) => row.status)).toEqual(['applied', 'applied']);
    const refused = await call(
      'POST',
      '/inventory/batch',
      batch('reject_all', [
        { sku: 'B1', delta: -9 },
        { sku: 'B2', delta: 1 },
      ]),
    );
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'BATCH_REJECTED' } } });
    const mixed = await call(
      'POST',
      '/inventory/batch',
      batch('reject_failed_rows', [
        { sku: 'B1', delta: -9 },
        { sku: 'B2', delta: 1 },
      ]),
    );
    expect(mixed.body.results.map((row: { status: string }) => row.status)).toEqual(['rejected', 'applied']);
    expect((await call('POST', '/inventory/batch', batch('reject_all', [{ sku: 'B1', quantity: 1, delta: 1 }]))).status).toBe(400);

    const threshold = '/inventory/store/w1/sku/A/threshold';
    expect((await call('PUT', threshold, { body: { low_stock_at: 2 }, headers: operator })).body).toEqual({
      store_id: 'w1',
      sku: 'A',
      low_stock_at: 2,
    });
    expect((await call('PUT', threshold, { body: { low_stock_at: -1 }, headers: operator })).status).toBe(400);
    expect((await call('PUT', threshold, { body: { low_stock_at: 2 }, anonymous: true })).status).toBe(401);

    const registration = { url: 'https://93.184.216.34/hook', events: ['stock.low'], secret: 's'.repeat(16) };
    const webhook = await call('POST', '/admin/webhooks', { body: registration, headers: operator });
    expect(webhook.status).toBe(201);
    expect(
      (await call('POST', '/admin/webhooks', { body: { ...registration, url: 'http://169.254.169.254/' }, headers: operator })).status,
    ).toBe(400);
    expect((await call('POST', '/admin/webhooks', { body: registration, anonymous: true })).status).toBe(401);
    expect((await call('GET', '/admin/webhooks', { headers: operator })).body.webhooks).toEqual([webhook.body]);
    expect((await call('GET', `/admin/webhooks/${webhook.body.webhook_id}/dead-letters`, { headers: operator })).body.dead_letters).toEqual(
      [],
    );
    expect((await call('GET', '/admin/webhooks', { anonymous: true })).status).toBe(401);
    expect((await call('DELETE', `/admin/webhooks/${webhook.body.webhook_id}`, { headers: operator })).status).toBe(204);
    expect((await call('DELETE', `/admin/webhooks/${webhook.body.webhook_id}`, { headers: operator })).status).toBe(404);

    expect((await call('POST', '/stress/restock', { body: {}, anonymous: true })).status).toBe(401);
    expect((await call('POST', '/stress/restock', { body: { stores: 0 }, headers: operator })).status).toBe(400);
    const started = await call('POST', '/stress/restock', {
      body: { stores: 1, skus_per_store: 1, duration_seconds: 60 },
      headers: operator,
    });
    expect(started.status).toBe(202);
    expect((await call('POST', '/stress/restock', { body: { stores: 1 }, headers: operator })).status).toBe(409);
    expect((await call('GET', started.body.status_url, { headers: operator })).body).toMatchObject({ state: 'running' });
    expect((await call('GET', '/stress/restock/storm-1-00000000', { headers: operator })).status).toBe(404);
    expect((await call('GET', '/stress/restock/storm-1-00000000', { anonymous: true })).status).toBe(401);
    expect((await call('GET', '/admin/storms', { headers: operator })).status).toBe(200);
    expect((await call('GET', '/admin/storms', { anonymous: true })).status).toBe(401);
    const storms = await call('GET', '/admin/storms/data', { headers: operator });
    expect(storms.body.storms[0].record).toMatchObject({ storm_id: started.body.storm_id, state: 'running' });
    expect((await call('GET', '/admin/storms/data', { anonymous: true })).status).toBe(401);
    expect((await call('GET', '/admin/queues', { headers: operator })).status).toBe(200);
    expect((await call('GET', '/admin/queues', { anonymous: true })).status).toBe(401);

    const created = await call('POST', '/admin/api-keys', { body: { name: 'till-1', role: 'till', stores: ['w1'] } });
    expect(created).toMatchObject({ status: 201, body: { role: 'till', stores: ['w1'], secret: expect.stringMatching(/^invk_/) } });
    expect((await call('POST', '/admin/api-keys', { body: { name: 'x', role: 'owner', stores: '*' } })).status).toBe(400);
    expect((await call('POST', '/admin/api-keys', { body: { name: 'x', role: 'till', stores: ['w1'] }, anonymous: true })).status).toBe(
      401,
    );
    const keys = await call('GET', '/admin/api-keys');
    expect(keys.body.api_keys).toContainEqual(expect.objectContaining({ key_id: created.body.key_id, last_used_at: null }));
    expect(JSON.stringify(keys.body)).not.toContain(created.body.secret);
    const till = { authorization: `Bearer ${created.body.secret}` };
    expect((await call('GET', '/admin/api-keys', { headers: till })).status).toBe(403);
    const rotated = await call('POST', `/admin/api-keys/${created.body.key_id}/rotate`);
    expect(rotated).toMatchObject({ status: 201, body: { rotated_from: created.body.key_id, name: 'till-1' } });
    expect((await call('DELETE', `/admin/api-keys/${created.body.key_id}`)).status).toBe(204);
    expect((await call('POST', `/admin/api-keys/${created.body.key_id}/rotate`)).status).toBe(404);
    expect((await call('DELETE', '/admin/api-keys/0000000000000000')).status).toBe(404);

    await call('POST', '/inventory/update', { body: { store_id: 'w2', sku: 'P', quantity: 10 } });
    const hold = await call('POST', '/inventory/reservations', {
      body: { store_id: 'w2', items: [{ sku: 'P', quantity: 2 }] },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(hold).toMatchObject({ status: 201, body: { state: 'held', items: [{ sku: 'P', quantity: 2 }] } });
    const reservation = `/inventory/reservations/${hold.body.reservation_id}`;
    expect(
      (await call('POST', '/inventory/reservations', { body: { store_id: 'w2', items: [{ sku: 'P', quantity: 9 }] } })).body,
    ).toMatchObject({
      error: { code: 'INSUFFICIENT_AVAILABLE', items: [{ sku: 'P', requested: 9, available: 8 }] },
    });
    expect((await call('POST', '/inventory/reservations', { body: { store_id: 'w2', items: [] } })).status).toBe(400);
    expect((await call('POST', `${reservation}/extend`, { body: { expires_in_seconds: 60 } })).status).toBe(200);
    expect((await call('POST', `${reservation}/commit`, { body: { items: [{ sku: 'P', quantity: 1 }] } })).body).toMatchObject({
      state: 'committed',
    });
    expect((await call('POST', `${reservation}/release`)).body).toMatchObject({
      error: { code: 'RESERVATION_NOT_HELD', state: 'committed' },
    });
    expect((await call('POST', '/inventory/reservations/00000000-0000-4000-8000-000000000000/release')).status).toBe(404);
    const shipped = await call('POST', '/inventory/transfers', {
      body: { from_store: 'w2', to_store: 'w3', items: [{ sku: 'P', quantity: 4 }] },
    });
    expect(shipped).toMatchObject({ status: 201, body: { state: 'in_transit' } });
    const transfer = `/inventory/transfers/${shipped.body.transfer_id}`;
    expect((await call('POST', `${transfer}/receive`, { body: { items: [{ sku: 'P', quantity: 1 }] } })).body.state).toBe(
      'partially_received',
    );
    expect((await call('POST', `${transfer}/cancel`)).body.state).toBe('cancelled');
    expect((await call('POST', `${transfer}/receive`)).body).toMatchObject({ error: { code: 'TRANSFER_NOT_IN_TRANSIT' } });
    const safety = '/inventory/store/w2/sku/P/safety-stock';
    expect((await call('PUT', safety, { body: { safety_stock: 1 }, headers: operator })).body).toEqual({
      store_id: 'w2',
      sku: 'P',
      safety_stock: 1,
    });
    expect((await call('PUT', safety, { body: { safety_stock: 1.5 }, headers: operator })).status).toBe(400);

    expect([...covered].sort()).toEqual(operationsOf('write-api').sort());
  });

  it('when the app is built, then every route it serves is in the document', () => {
    expect(undocumentedRoutes(api.routes)).toEqual([]);
  });
});
