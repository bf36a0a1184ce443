import { type InventoryTestEnvironment, jsonOf, startInventoryTestEnvironment } from '@inventory/service/testing';
import { startTestWriteApi, type TestWriteApi } from './write-api.testing';

/** Who may write what, with keys issued through the API: every refusal names its reason and writes nothing. */
describe('write-api access control (API keys, roles, stores)', () => {
  let env: InventoryTestEnvironment;
  let api: TestWriteApi;
  const keys: Record<string, string> = {};

  const issue = async (name: string, role: string, stores: string[] | '*') => {
    const answer = await jsonOf(
      await api.fetch('/admin/api-keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, role, stores }),
      }),
    );
    return answer as { key_id: string; secret: string };
  };
  const post = (path: string, credential: string | undefined, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(credential === undefined ? {} : { authorization: credential }), ...headers },
      body: JSON.stringify(body),
    });
  const stored = async (store: string) => (await env.backends.repository.listStoreItems(store)).map(({ sku, quantity }) => [sku, quantity]);

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startTestWriteApi(env);
    keys['till'] = `Bearer ${(await issue('till-1', 'till', ['a1'])).secret}`;
    keys['clerk'] = `Bearer ${(await issue('clerk-1', 'stock-clerk', ['a1'])).secret}`;
    keys['operator'] = `Bearer ${(await issue('ops-1', 'operator', '*')).secret}`;
  });

  afterAll(async () => {
    await api?.stop();
    await env?.stop();
  });

  it('when a till sells at its store, then the movement names the key as actor and X-Actor as on_behalf_of', async () => {
    const sale = await post(
      '/inventory/adjust',
      keys['till'],
      { store_id: 'a1', sku: 'S', delta: 1, reason: 'return' },
      { 'x-actor': 'cashier-17' },
    );
    expect(sale.status).toBe(200);
    expect((await jsonOf(sale)).movement).toMatchObject({
      actor: expect.stringMatching(/^key:[0-9a-f]{16} till-1$/),
      on_behalf_of: 'cashier-17',
    });
  });

  it.each([
    ['no credential', undefined, '/inventory/update', { store_id: 'a1', sku: 'X', quantity: 5 }, 401, 'credentials are required'],
    ['a malformed header', 'Token abc', '/inventory/update', { store_id: 'a1', sku: 'X', quantity: 5 }, 401, 'must be "Bearer'],
    ['a non-ASCII header', 'Bearer clé', '/inventory/update', { store_id: 'a1', sku: 'X', quantity: 5 }, 401, 'visible ASCII'],
    [
      'an unknown key',
      `Bearer invk_0123456789abcdef_${'A'.repeat(43)}`,
      '/inventory/update',
      { store_id: 'a1', sku: 'X', quantity: 5 },
      401,
      'unknown or revoked',
    ],
    [
      'a till setting a quantity',
      'till',
      '/inventory/update',
      { store_id: 'a1', sku: 'X', quantity: 5 },
      403,
      'lacks the permission stock:write',
    ],
    [
      'a till adjusting for damage',
      'till',
      '/inventory/adjust',
      { store_id: 'a1', sku: 'X', delta: -1, reason: 'damage' },
      403,
      'stock:write',
    ],
    [
      'a till selling at another store',
      'till',
      '/inventory/adjust',
      { store_id: 'b9', sku: 'X', delta: 1, reason: 'return' },
      403,
      'store b9',
    ],
    [
      'a clerk batching for another store',
      'clerk',
      '/inventory/batch',
      { store_id: 'b9', error_policy: 'reject_all', rows: [{ sku: 'X', quantity: 1 }] },
      403,
      'store b9',
    ],
    ['an operator counting stock', 'operator', '/inventory/update', { store_id: 'a1', sku: 'X', quantity: 5 }, 403, 'stock:write'],
    ['a till starting a storm', 'till', '/stress/restock', { stores: 1 }, 403, 'storms:run'],
    ['a clerk issuing keys', 'clerk', '/admin/api-keys', { name: 'x', role: 'admin', stores: '*' }, 403, 'api-keys:manage'],
  ])('when %s, then it is refused naming why and nothing is written', async (_case, who, path, body, status, reason) => {
    const before = { a1: await stored('a1'), b9: await stored('b9'), waiting: await api.queue.getWaitingCount() };
    const answer = await post(path, who === undefined ? undefined : (keys[who] ?? who), body);
    expect(answer.status).toBe(status);
    expect((await jsonOf(answer)).error.message).toContain(reason);
    if (status === 401) expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="inventory"/);
    expect({ a1: await stored('a1'), b9: await stored('b9'), waiting: await api.queue.getWaitingCount() }).toEqual(before);
  });

  it('when an operator opens the queue dashboard, then it is read-only: an action is refused before bull-board sees it', async () => {
    const page = await fetch(`${api.url}/admin/queues`, { headers: { authorization: keys['operator'] as string } });
    expect(page.status).toBe(200);
    const action = await fetch(`${api.url}/admin/queues/api/queues/restock/clean/failed`, {
      method: 'PUT',
      headers: { authorization: keys['operator'] as string },
    });
    expect(action.status).toBe(403);
  });

  it('when a browser opens the dashboard without a credential, then the 401 offers Basic, and the key as Basic password opens it; API callers are offered Bearer only', async () => {
    const asBrowser = await fetch(`${api.url}/admin/queues`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(asBrowser.status).toBe(401);
    expect(asBrowser.headers.get('www-authenticate')).toMatch(/^Bearer realm="inventory", Basic realm="inventory"/);
    const asApiCaller = await fetch(`${api.url}/admin/queues`, { headers: { accept: 'application/json' } });
    expect(asApiCaller.headers.get('www-authenticate')).toBe('Bearer realm="inventory"');
    const secret = (keys['operator'] as string).slice('Bearer '.length);
    const basic = `Basic ${Buffer.from(`anyone:${secret}`).toString('base64')}`;
    expect((await fetch(`${api.url}/admin/queues`, { headers: { authorization: basic, accept: 'text/html' } })).status).toBe(200);
  });

  it('when an admin sends a dashboard action a body that is not JSON, then the platform answers its JSON 400 and no queue changes', async () => {
    const waiting = await api.queue.getWaitingCount();
    const action = await api.fetch('/admin/queues/api/queues/restock/add', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(action.status).toBe(400);
    expect((await jsonOf(action)).error.code).toBe('MALFORMED_JSON');
    expect(await api.queue.getWaitingCount()).toBe(waiting);
  });

  it('when a key is revoked, then it is refused at once by this pod, and an admin limited to a store cannot issue, list, rotate or revoke keys beyond it', async () => {
    const doomed = await issue('till-doomed', 'till', ['a1']);
    expect(
      (await post('/inventory/adjust', `Bearer ${doomed.secret}`, { store_id: 'a1', sku: 'S', delta: 1, reason: 'return' })).status,
    ).toBe(200);
    expect((await api.fetch(`/admin/api-keys/${doomed.key_id}`, { method: 'DELETE' })).status).toBe(204);
    expect(
      (await post('/inventory/adjust', `Bearer ${doomed.secret}`, { store_id: 'a1', sku: 'S', delta: 1, reason: 'return' })).status,
    ).toBe(401);
    const storeAdmin = `Bearer ${(await issue('admin-a1', 'admin', ['a1'])).secret}`;
    const beyond = await post('/admin/api-keys', storeAdmin, { name: 'x', role: 'till', stores: ['b9'] });
    expect(beyond.status).toBe(403);
    expect((await jsonOf(beyond)).error.stores).toEqual(['b9']);
    const other = await issue('till-b9', 'till', ['b9']);
    const own = await issue('till-a1', 'till', ['a1']);
    const listed = (await jsonOf(await fetch(`${api.url}/admin/api-keys`, { headers: { authorization: storeAdmin } }))).api_keys;
    expect(listed.map((key: { key_id: string }) => key.key_id)).toContain(own.key_id);
    expect(listed.every((key: { stores: unknown }) => Array.isArray(key.stores) && key.stores.every((store) => store === 'a1'))).toBe(true);
    for (const [method, path] of [
      ['DELETE', `/admin/api-keys/${other.key_id}`],
      ['POST', `/admin/api-keys/${other.key_id}/rotate`],
    ] as const) {
      const refused = await fetch(`${api.url}${path}`, { method, headers: { authorization: storeAdmin } });
      expect(refused.status).toBe(403);
      expect((await jsonOf(refused)).error.stores).toEqual(['b9']);
    }
    expect(
      (await post('/inventory/adjust', `Bearer ${other.secret}`, { store_id: 'b9', sku: 'S', delta: 1, reason: 'return' })).status,
    ).toBe(200);
  });
});
