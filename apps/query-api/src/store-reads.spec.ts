import type { InventoryItem } from '@inventory/domain/model';
import type { InventoryUpdater } from '@inventory/stock/store-update';
import { type InventoryTestEnvironment, jsonOf, type ServedForTest, startInventoryTestEnvironment } from '@inventory/service/testing';
import { testUpdater } from '@inventory/stock/store-update/testing';
import { setSafetyStock } from '@inventory/stock/promises';
import { testPromises } from '@inventory/stock/promises/testing';
import { startQueryApi } from './query-api.testing';

const sku = (i: number) => `SKU-${String(1001 + i)}`;

describe('query-api reads beyond the original', () => {
  let env: InventoryTestEnvironment;
  let api: ServedForTest;
  let updater: InventoryUpdater;
  const get = (path: string, headers: Record<string, string> = {}) => api.fetch(`${path}`, { headers });

  /** A store of `count` SKUs in the table and the counters, as a storm or the seeder leaves it. */
  async function stock(storeId: string, count: number) {
    const items = Array.from({ length: count }, (_, i) => ({
      store_id: storeId,
      sku: sku(i),
      quantity: i % 50,
      updated_at: '2026-12-03T00:00:00Z',
      version: 1,
    }));
    await env.backends.repository.putItems(items);
    await env.backends.counters.apply(storeId, items);
  }

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startQueryApi(env);
    updater = testUpdater(env);
    await stock('big', 5_000);
    await stock('small', 3);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await env?.stop();
  });

  it('when a 5,000-SKU store is paged by 100 while updates land, then every item comes exactly once, and untouched ones equal the unpaged answer', async () => {
    const whole: InventoryItem[] = await jsonOf(await get('/inventory/store/big'));
    const seen: InventoryItem[] = [];
    const updated = new Set<string>();
    let next: string | null = '/inventory/store/big?limit=100';
    let pages = 0;
    while (next) {
      const response: Response = await get(next);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-store-version')).toMatch(/^\d+$/);
      const page: InventoryItem[] = await jsonOf(response);
      expect(page.length).toBeLessThanOrEqual(100);
      seen.push(...page);
      pages += 1;
      // A till sells ahead of the walk and behind it while the caller pages.
      for (const i of [pages * 100 + 7, pages * 37]) {
        if (i >= 5_000) continue;
        await updater.adjust({ store_id: 'big', sku: sku(i), delta: 1, reason: 'return' });
        updated.add(sku(i));
      }
      next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    }

    expect(pages).toBe(50);
    expect(seen.map((item) => item.sku)).toEqual(whole.map((item) => item.sku));
    const untouched = (items: InventoryItem[]) => items.filter((item) => !updated.has(item.sku));
    expect(untouched(seen)).toEqual(untouched(whole));
  });

  it.each([1, 10, 100])(
    'when %i SKUs change after a version, then the delta since it holds exactly those, at their new quantity',
    async (k) => {
      const before = await get('/inventory/store/big?limit=1');
      const version = Number(before.headers.get('x-store-version'));
      const changed = Array.from({ length: k }, (_, i) => sku((i * 47 + k) % 5_000));
      for (const [i, one] of changed.entries()) await updater.update({ store_id: 'big', sku: one, quantity: 9_000 + i });

      const response = await get(`/inventory/store/big/changes?since_version=${version}`);
      const delta = await jsonOf(response);

      expect(response.status).toBe(200);
      expect(delta.store_version).toBe(Number(response.headers.get('x-store-version')));
      expect(delta.store_version).toBeGreaterThan(version);
      expect(delta.changes.map((item: InventoryItem) => item.sku)).toEqual([...changed].sort());
      expect(delta.changes.map((item: InventoryItem) => item.quantity).sort()).toEqual(changed.map((_, i) => 9_000 + i).sort());
      // Nothing since the answer's own version.
      expect((await jsonOf(await get(`/inventory/store/big/changes?since_version=${delta.store_version}`))).changes).toEqual([]);
    },
  );

  it('when the delta is asked from before the change log covers, then 410 SINCE_VERSION_EXPIRED carries the version to re-read from', async () => {
    const response = await get('/inventory/store/big/changes?since_version=1');
    const body = await jsonOf(response);
    expect(response.status).toBe(410);
    expect(body.error).toMatchObject({ code: 'SINCE_VERSION_EXPIRED', store_version: expect.any(Number) });
  });

  it('when a delta is asked where it used to be (`?since_version` on the store), then it is answered 308 to /changes, which fetch follows with the same credential', async () => {
    const version = (await get('/inventory/store/small')).headers.get('x-store-version');
    const moved = await api.fetch(`/inventory/store/small?since_version=${version}`, { redirect: 'manual' });
    expect([moved.status, moved.headers.get('location')]).toEqual([308, `/inventory/store/small/changes?since_version=${version}`]);
    const followed = await get(`/inventory/store/small?since_version=${version}`);
    expect([followed.status, new URL(followed.url).pathname]).toEqual([200, '/inventory/store/small/changes']);
    expect(await jsonOf(followed)).toEqual({ store_version: Number(version), changes: [] });
  });

  it('when the whole store is read, then X-Store-Version names the version a delta continues from', async () => {
    const whole = await get('/inventory/store/small', { 'accept-encoding': 'gzip' });
    const version = whole.headers.get('x-store-version');
    await updater.adjust({ store_id: 'small', sku: sku(1), delta: -1, reason: 'sale' });
    const delta = await jsonOf(await get(`/inventory/store/small/changes?since_version=${version}`));
    expect(delta.changes).toEqual([expect.objectContaining({ store_id: 'small', sku: sku(1), quantity: 0, version: 2 })]);
  });

  it('when units are reserved, shipped in and kept as safety stock, then every read shows them at once: whole (its cached answer turned over), page, delta, one SKU, across stores', async () => {
    await updater.update({ store_id: 'promised', sku: 'P', quantity: 10 });
    const before = await get('/inventory/store/promised');
    expect((await jsonOf(before))[0]).toMatchObject({ quantity: 10, reserved: 0, available: 10 });
    const version = before.headers.get('x-store-version');
    const promises = testPromises(env);
    await promises.reservations.create({ store_id: 'promised', items: [{ sku: 'P', quantity: 3 }], expires_in_seconds: 60 });
    await setSafetyStock(promises.ledger, 'promised', 'P', 2, {});
    await updater.update({ store_id: 'source', sku: 'P', quantity: 5 });
    await promises.transfers.create({ from_store: 'source', to_store: 'promised', items: [{ sku: 'P', quantity: 4 }] });
    // A till sells 8 of the 10 on the shelf: 3 are reserved, so 1 promised unit is at risk.
    await updater.adjust({ store_id: 'promised', sku: 'P', delta: -8, reason: 'sale' });
    const promised = { quantity: 2, reserved: 3, available: 0, incoming: 4, safety_stock: 2, promised_at_risk: 1 };
    expect((await jsonOf(await get('/inventory/store/promised')))[0]).toMatchObject(promised);
    expect((await jsonOf(await get('/inventory/store/promised?limit=1')))[0]).toMatchObject(promised);
    expect((await jsonOf(await get(`/inventory/store/promised/changes?since_version=${version}`))).changes[0]).toMatchObject(promised);
    expect(await jsonOf(await get('/inventory/store/promised/sku/P'))).toMatchObject(promised);
    expect((await jsonOf(await get('/inventory/sku/P?stores=source,promised'))).items).toEqual([
      expect.objectContaining({ store_id: 'source', quantity: 1, available: 1, incoming: 0 }),
      expect.objectContaining({ store_id: 'promised', ...promised }),
    ]);
  });

  it('when one SKU is read, then it comes with its version; an unknown one is 404 NOT_FOUND', async () => {
    expect(await jsonOf(await get(`/inventory/store/small/sku/${sku(2)}`))).toEqual({
      store_id: 'small',
      sku: sku(2),
      quantity: 2,
      updated_at: '2026-12-03T00:00:00Z',
      version: 1,
      reserved: 0,
      available: 2,
      incoming: 0,
      safety_stock: 0,
      promised_at_risk: 0,
    });
    const missing = await get('/inventory/store/small/sku/NOPE');
    expect(missing.status).toBe(404);
    expect((await jsonOf(missing)).error.code).toBe('NOT_FOUND');
  });

  it('when a SKU is read across stores, then the stores holding it answer in the order asked and the others are missing', async () => {
    const answer = await jsonOf(await get(`/inventory/sku/${sku(2)}?stores=nowhere,big,small`));
    expect(answer.items.map((item: { store_id: string }) => item.store_id)).toEqual(['big', 'small']);
    expect(answer.missing).toEqual(['nowhere']);
  });

  it.each([
    ['/inventory/store/big?limit=0', 'limit'],
    ['/inventory/store/big?limit=1001', 'limit'],
    ['/inventory/store/big?limit=x', 'limit'],
    ['/inventory/store/big?limit=5&cursor=forged', 'cursor'],
    ['/inventory/store/small?cursor=eyJzIjoiYmlnIiwiayI6IlNLVS0xMDAxIn0', 'cursor'],
    ['/inventory/store/big/changes?since_version=-1', 'since_version'],
    ['/inventory/store/big/changes?since_version=abc', 'since_version'],
    ['/inventory/store/big/changes', 'since_version'],
    ['/inventory/store/big?since_version=abc', 'since_version'],
    ['/inventory/sku/SKU-1001', 'stores'],
    ['/inventory/sku/SKU-1001?stores=', 'stores'],
    ['/inventory/sku/SKU-1001?stores=a,a', 'stores'],
    ['/inventory/sku/SKU-1001?stores=a,%7Bb%7D', 'stores.1'],
    [`/inventory/sku/SKU-1001?stores=${Array.from({ length: 101 }, (_, i) => `s${i}`).join(',')}`, 'stores'],
  ])('when %s is asked, then 400 names %s', async (path, field) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error.details).toEqual([expect.objectContaining({ field })]);
  });
});
