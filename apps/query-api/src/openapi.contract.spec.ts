import { openApiDocument } from '@inventory/shared/api-contract';
import { contractProblems, documentedPath, operationsOf, undocumentedRoutes } from '@inventory/shared/api-contract/testing';
import { type InventoryTestEnvironment, type ServedForTest, startInventoryTestEnvironment } from '@inventory/service/testing';
import { testUpdater } from '@inventory/stock/store-update/testing';
import { testPromises } from '@inventory/stock/promises/testing';
import { startQueryApi } from './query-api.testing';

const UNISSUED_ID = '00000000-0000-4000-8000-000000000000';

describe('query-api answers as the OpenAPI document says', () => {
  let env: InventoryTestEnvironment;
  let api: ServedForTest;
  const covered = new Set<string>();
  let reservationId: string;
  let transferId: string;

  /** Calls the route and holds its answer to the document; answers the status and body. */
  async function call(path: string, headers: Record<string, string> = {}) {
    const response = await api.fetch(`${path}`, { headers, redirect: 'manual' });
    const text = await response.text();
    const body = text && response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined;
    const problems = contractProblems({
      method: 'GET',
      path,
      status: response.status,
      contentType: response.headers.get('content-type'),
      body,
    });
    expect(problems).toEqual([]);
    covered.add(`GET ${documentedPath(path)}`);
    return { status: response.status, headers: response.headers, body };
  }

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startQueryApi(env);
    const updater = testUpdater(env);
    await updater.update({ store_id: 'c1', sku: 'A', quantity: 5 });
    await updater.adjust({ store_id: 'c1', sku: 'B', delta: 2, reason: 'receiving' });
    // Promises of a store of their own, so c1's movements stay the two above.
    await updater.update({ store_id: 'c3', sku: 'A', quantity: 5 });
    const { reservations, transfers } = testPromises(env);
    reservationId = (await reservations.create({ store_id: 'c3', items: [{ sku: 'A', quantity: 1 }], expires_in_seconds: 60 })).answer
      .reservation_id;
    transferId = (await transfers.create({ from_store: 'c3', to_store: 'c4', items: [{ sku: 'A', quantity: 2 }] })).answer.transfer_id;
  });

  afterAll(async () => {
    await api?.stop();
    await env?.stop();
  });

  it('when every route is called, well and badly, then each answer has a documented status and the documented shape', async () => {
    expect((await call('/health')).status).toBe(200);
    expect((await call('/openapi.json')).body).toEqual(openApiDocument());
    expect((await call('/docs')).headers.get('content-type')).toMatch(/^text\/html/);
    expect((await call('/docs/init.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await call('/docs/api-reference.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
    const whole = await call('/inventory/store/c1');
    expect(whole.body).toHaveLength(2);
    expect((await call('/inventory/store/c1', { 'if-none-match': whole.headers.get('etag') ?? '' })).status).toBe(304);
    expect((await call('/inventory/store/c1?limit=1')).headers.get('link')).toMatch(/rel="next"/);
    const version = whole.headers.get('x-store-version');
    const moved = await call(`/inventory/store/c1?since_version=${version}`);
    expect([moved.status, moved.headers.get('location')]).toEqual([308, `/inventory/store/c1/changes?since_version=${version}`]);
    expect((await call(`/inventory/store/c1/changes?since_version=${version}`)).body).toMatchObject({ changes: [] });
    expect((await call('/inventory/store/c1/changes?since_version=1')).status).toBe(410);
    expect((await call('/inventory/store/c1/changes')).status).toBe(400);
    expect((await call('/inventory/store/c1?limit=0')).status).toBe(400);
    expect((await call('/inventory/store/c1/sku/A')).body).toMatchObject({ quantity: 5, version: 1 });
    expect((await call('/inventory/store/c1/sku/Z')).status).toBe(404);
    expect((await call('/inventory/store/c1/sku/A%7B')).status).toBe(400);
    expect((await call('/inventory/sku/A?stores=c1,c2')).body).toMatchObject({ missing: ['c2'] });
    expect((await call('/inventory/sku/A')).status).toBe(400);
    expect((await call('/inventory/store/c1/sku/A/movements?limit=1')).body.next_cursor).toBeNull();
    expect((await call('/inventory/store/c1/sku/A/movements?limit=x')).status).toBe(400);
    expect((await call('/inventory/store/c1/movements')).body.movements).toHaveLength(2);
    expect((await call('/inventory/store/c1/movements?since=never')).status).toBe(400);
    expect((await call(`/inventory/reservations/${reservationId}`)).body).toMatchObject({ state: 'held', store_id: 'c3' });
    expect((await call(`/inventory/reservations/${UNISSUED_ID}`)).status).toBe(404);
    expect((await call('/inventory/reservations/not-an-id')).status).toBe(400);
    expect((await call(`/inventory/transfers/${transferId}`)).body).toMatchObject({ state: 'in_transit', to_store: 'c4' });
    expect((await call(`/inventory/transfers/${UNISSUED_ID}`)).status).toBe(404);
    expect((await call('/inventory/store/c4/sku/A')).body).toMatchObject({ quantity: 0, incoming: 2, available: 0 });
    expect((await call('/inventory/store/c3')).body).toMatchObject([{ quantity: 3, reserved: 1, available: 2 }]);

    expect([...covered].sort()).toEqual(operationsOf('query-api').sort());
  });

  it('when the app is built, then every route it serves is in the document', () => {
    expect(api.routes).toEqual(expect.arrayContaining([{ method: 'get', path: '/inventory/store/:storeId' }]));
    expect(undocumentedRoutes(api.routes)).toEqual([]);
    expect(undocumentedRoutes([...api.routes, { method: 'get', path: '/inventory/secret/:id' }])).toEqual(['GET /inventory/secret/:id']);
  });

  it('when an answer drifts from its schema or status, then the contract check names it', () => {
    const item = {
      store_id: 'c1',
      sku: 'A',
      quantity: 5,
      updated_at: '2026-12-03T10:00:00Z',
      version: 1,
      reserved: 0,
      available: 5,
      incoming: 0,
      safety_stock: 0,
      promised_at_risk: 0,
    };
    const answer = { method: 'GET', path: '/inventory/store/c1/sku/A', contentType: 'application/json; charset=utf-8' };
    expect(contractProblems({ ...answer, status: 200, body: item })).toEqual([]);
    expect(contractProblems({ ...answer, status: 200, body: { ...item, quantity: '5' } })).toEqual([
      expect.stringMatching(/\/quantity must be integer/),
    ]);
    expect(contractProblems({ ...answer, status: 200, body: { ...item, colour: 'red' } })).toEqual([
      expect.stringMatching(/additional properties/),
    ]);
    expect(contractProblems({ ...answer, status: 418, body: {} })).toEqual([
      expect.stringMatching(/418, which the document does not list/),
    ]);
    expect(contractProblems({ ...answer, path: '/inventory/nowhere', status: 200 })).toEqual([
      expect.stringMatching(/not in the document/),
    ]);
  });
});
