import { openApiDocument } from '@inventory/shared/api-contract';
import { contractProblems, documentedPath, operationsOf, undocumentedRoutes } from '@inventory/shared/api-contract/testing';
import { type InventoryTestEnvironment, type ServedForTest, startInventoryTestEnvironment } from '@inventory/service/testing';
import { testUpdater } from '@inventory/stock/store-update/testing';
import { startQueryApi } from './query-api.testing';

describe('query-api answers as the OpenAPI document says', () => {
  let env: InventoryTestEnvironment;
  let api: ServedForTest;
  const covered = new Set<string>();

  /** Calls the route and holds its answer to the document; answers the status and body. */
  async function call(path: string, headers: Record<string, string> = {}) {
    const response = await api.fetch(`${path}`, { headers });
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
  });

  afterAll(async () => {
    await api?.stop();
    await env?.stop();
  });

  it('when every route is called, well and badly, then each answer has a documented status and the documented shape', async () => {
    expect((await call('/health')).status).toBe(200);
    expect((await call('/openapi.json')).body).toEqual(openApiDocument());
    const whole = await call('/inventory/store/c1');
    expect(whole.body).toHaveLength(2);
    expect((await call('/inventory/store/c1', { 'if-none-match': whole.headers.get('etag') ?? '' })).status).toBe(304);
    expect((await call('/inventory/store/c1?limit=1')).headers.get('link')).toMatch(/rel="next"/);
    expect((await call(`/inventory/store/c1?since_version=${whole.headers.get('x-store-version')}`)).body).toMatchObject({ changes: [] });
    expect((await call('/inventory/store/c1?since_version=1')).status).toBe(410);
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

    expect([...covered].sort()).toEqual(operationsOf('query-api').sort());
  });

  it('when the app is built, then every route it serves is in the document', () => {
    expect(api.routes).toEqual(expect.arrayContaining([{ method: 'get', path: '/inventory/store/:storeId' }]));
    expect(undocumentedRoutes(api.routes)).toEqual([]);
    expect(undocumentedRoutes([...api.routes, { method: 'get', path: '/inventory/secret/:id' }])).toEqual(['GET /inventory/secret/:id']);
  });

  it('when an answer drifts from its schema or status, then the contract check names it', () => {
    const item = { store_id: 'c1', sku: 'A', quantity: 5, updated_at: '2026-12-03T10:00:00Z', version: 1 };
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
