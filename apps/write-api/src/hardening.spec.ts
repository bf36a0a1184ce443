import { once } from 'node:events';
import { startLocalRedis } from '@inventory/shared/local-services';
import { type InventoryTestEnvironment, jsonOf, prometheusSample, startInventoryTestEnvironment } from '@inventory/service/testing';
import { startTestWriteApi, type TestWriteApi } from './write-api.testing';

const TOKEN = 'hardening-operator-token-0123456789abcdef0123456';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('write-api rate limits and operator auth', () => {
  let env: InventoryTestEnvironment;
  let api: TestWriteApi;

  beforeAll(async () => {
    env = await startInventoryTestEnvironment({
      LOCAL_ADMIN_KEY: TOKEN,
      RATE_LIMIT_WRITES_PER_MINUTE: '3',
      RATE_LIMIT_CREDENTIAL_FAILURES: '3',
      TRUSTED_PROXY_HOPS: '1',
    });
    api = await startTestWriteApi(env);
  });

  afterAll(async () => {
    await api.stop();
    await env.stop();
  });

  const newKey = async (name: string) =>
    (
      await jsonOf(
        await api.fetch('/admin/api-keys', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name, role: 'stock-clerk', stores: ['limited'] }),
        }),
      )
    ).secret as string;
  const update = (key: string, forwardedFor: string, sku: string) =>
    api.fetch(`/inventory/update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor, authorization: `Bearer ${key}` },
      body: JSON.stringify({ store_id: 'limited', sku, quantity: 1 }),
    });

  it('when one principal sends more writes than its limit, then it gets 429 with Retry-After and nothing written, from any address, while others are served', async () => {
    const [busy, other] = [await newKey('till-busy'), await newKey('till-other')];
    for (const sku of ['A', 'B', 'C']) expect((await update(busy, '203.0.113.1', sku)).status).toBe(200);

    const refused = await update(busy, '203.0.113.1', 'D');
    // The count is the principal's: another address does not reset it.
    const elsewhere = await update(busy, '203.0.113.9', 'E');
    // Another till behind the same store address has a count of its own.
    const sameAddress = await update(other, '203.0.113.1', 'F');

    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await jsonOf(refused)).toMatchObject({ error: { code: 'TOO_MANY_REQUESTS' } });
    expect(elsewhere.status).toBe(429);
    expect(sameAddress.status).toBe(200);
    const skus = (await env.backends.repository.listStoreItems('limited')).map((item) => item.sku);
    expect(skus).toEqual(['A', 'B', 'C', 'F']);
  });

  it('when operator credentials are Basic without a user, then they are refused', async () => {
    const bare = await api.fetch(`/stress/restock/storm-1-00000000`, {
      headers: { authorization: basic(TOKEN), 'x-forwarded-for': '192.0.2.50' },
    });
    const proper = await api.fetch(`/stress/restock/storm-1-00000000`, {
      headers: { authorization: basic(`ops:${TOKEN}`), 'x-forwarded-for': '192.0.2.50' },
    });
    expect(bare.status).toBe(401);
    expect(proper.status).toBe(404);
  });

  it('when one source keeps guessing keys, then it gets 429 even for a right key this pod has not accepted yet, while a credential it already accepted and other sources are served', async () => {
    const attempt = (source: string, credential: string) =>
      fetch(`${api.url}/stress/restock/storm-1-00000000`, {
        headers: { authorization: `Bearer ${credential}`, 'x-forwarded-for': source },
      });
    expect((await attempt('192.0.2.68', TOKEN)).status).toBe(404);
    const created = await api.fetch('/admin/api-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'guessed', role: 'operator', stores: '*' }),
    });
    const { secret } = (await jsonOf(created)) as { secret: string };
    const guesses = [];
    for (let i = 0; i < 4; i += 1) guesses.push((await attempt('192.0.2.66', `wrong-${i}`)).status);
    const rightAfterGuessing = await attempt('192.0.2.66', secret);

    expect(guesses).toEqual([401, 401, 401, 429]);
    expect(rightAfterGuessing.status).toBe(429);
    expect(Number(rightAfterGuessing.headers.get('retry-after'))).toBeGreaterThan(0);
    // Not a guess: the pod accepted it before (the failure limit's Redis read is spared for those).
    expect((await attempt('192.0.2.66', TOKEN)).status).toBe(404);
    expect((await attempt('192.0.2.67', secret)).status).toBe(404);
  });
});

describe('write-api with its Redis down', () => {
  it('when Redis is unreachable, then writes are still served (the limit fails open, counted)', async () => {
    const redis = await startLocalRedis();
    const env = await startInventoryTestEnvironment({ REDIS_URL: redis.url, RATE_LIMIT_WRITES_PER_MINUTE: '3' });
    const api = await startTestWriteApi(env);
    try {
      redis.process.kill('SIGKILL');
      await once(redis.process, 'exit');
      const answers = [];
      for (let i = 0; i < 5; i += 1) {
        answers.push(
          (
            await api.fetch(`/inventory/update`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ store_id: 'no-redis', sku: `S${i}`, quantity: i }),
            })
          ).status,
        );
      }
      expect(answers).toEqual([200, 200, 200, 200, 200]);
      expect(await env.backends.repository.listStoreItems('no-redis')).toHaveLength(5);
      const { body } = await env.metrics.exposition();
      expect(prometheusSample(body, 'inventory_rate_limit_fail_open_total{limit="writes",app="test"}')).toBe(5);
    } finally {
      await api.stop();
      await env.stop();
      await redis.stop();
    }
  });
});
