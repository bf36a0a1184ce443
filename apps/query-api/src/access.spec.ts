import { ApiKeyRepository } from '@inventory/service/access';
import { type InventoryTestEnvironment, jsonOf, startInventoryTestEnvironment } from '@inventory/service/testing';
import { startQueryApi } from './query-api.testing';

describe('query-api access control (API keys, stores, public reads)', () => {
  let env: InventoryTestEnvironment;
  let api: Awaited<ReturnType<typeof startQueryApi>>;
  let till: string;
  let integration: string;

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startQueryApi(env);
    const keys = new ApiKeyRepository(env.backends.dynamodb, env.config.DYNAMODB_TABLE);
    till = `Bearer ${(await keys.create({ name: 'till-q', role: 'till', stores: ['q1'] })).secret}`;
    integration = `Bearer ${(await keys.create({ name: 'shop', role: 'integration', stores: ['q1', 'q2'] })).secret}`;
  });

  afterAll(async () => {
    await api?.stop();
    await env?.stop();
  });

  const get = (path: string, authorization?: string) => fetch(`${api.url}${path}`, { headers: authorization ? { authorization } : {} });

  it.each([
    ['a till reads its store', '/inventory/store/q1', 'till', 200, undefined],
    ['a till reads another store', '/inventory/store/q2', 'till', 403, 'store q2'],
    ['a till reads one SKU of another store', '/inventory/store/q2/sku/A', 'till', 403, 'store q2'],
    ['a till reads movements', '/inventory/store/q1/movements', 'till', 403, 'movements:read'],
    ['an integration reads its movements', '/inventory/store/q1/movements', 'integration', 200, undefined],
    ['a cross-store read names one foreign store', '/inventory/sku/A?stores=q1,q2,q3', 'integration', 403, 'store q3'],
    ['a cross-store read names only its stores', '/inventory/sku/A?stores=q1,q2', 'integration', 200, undefined],
    ['nobody is named', '/inventory/store/q1', undefined, 401, 'credentials are required'],
  ])('when %s, then the answer is as its role and stores allow', async (_case, path, who, status, reason) => {
    const answer = await get(path, who === 'till' ? till : who === 'integration' ? integration : undefined);
    expect(answer.status).toBe(status);
    if (reason) expect((await jsonOf(answer)).error.message).toContain(reason);
  });

  it('when PUBLIC_STOCK_READS is on, then a caller without a credential reads quantities, never movements', async () => {
    const publicEnv = await startInventoryTestEnvironment({ PUBLIC_STOCK_READS: 'true' });
    const publicApi = await startQueryApi(publicEnv);
    try {
      expect((await fetch(`${publicApi.url}/inventory/store/q1`)).status).toBe(200);
      expect((await fetch(`${publicApi.url}/inventory/sku/A?stores=q1`)).status).toBe(200);
      const movements = await fetch(`${publicApi.url}/inventory/store/q1/movements`);
      expect(movements.status).toBe(401);
      expect(movements.headers.get('www-authenticate')).toBe('Bearer realm="inventory"');
      expect((await fetch(`${publicApi.url}/inventory/store/q1`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    } finally {
      await publicApi.stop();
      await publicEnv.stop();
    }
  });
});
