import type { InventoryUpdater } from '@inventory/stock/store-update';
import { type InventoryTestEnvironment, jsonOf, type ServedForTest, startInventoryTestEnvironment } from '@inventory/service/testing';
import { testUpdater } from '@inventory/stock/store-update/testing';
import { startQueryApi } from './query-api.testing';

describe('query-api movement history', () => {
  let env: InventoryTestEnvironment;
  let api: ServedForTest;
  let updater: InventoryUpdater;
  const get = (path: string) => api.fetch(`${path}`);

  /** Every page of a listing, following next_cursor; each page checked to be at most `limit` long. */
  async function walk(path: string, limit: number) {
    const movements = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const response = await get(`${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status).toBe(200);
      const page = await jsonOf(response);
      expect(page.movements.length).toBeLessThanOrEqual(limit);
      movements.push(...page.movements);
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor);
    return { movements, pages };
  }

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startQueryApi(env);
    updater = testUpdater(env);
    await updater.update({ store_id: 'h1', sku: 'A', quantity: 10 }, { actor: 'seed' });
    for (let i = 0; i < 6; i++) await updater.adjust({ store_id: 'h1', sku: 'A', delta: -1, reason: 'sale' });
    await updater.adjust({ store_id: 'h1', sku: 'B', delta: 3, reason: 'receiving' });
    await updater.adjust({ store_id: 'h2', sku: 'A', delta: 1, reason: 'return' });
  });

  afterAll(async () => {
    await api?.stop();
    await env?.stop();
  });

  it("when a SKU's history is paged, then every movement comes once, newest first, chaining back to the first", async () => {
    const { movements, pages } = await walk('/inventory/store/h1/sku/A/movements', 3);

    expect(pages).toBe(3);
    expect(movements.map((movement) => movement.version)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(movements.every((movement) => movement.store_id === 'h1' && movement.sku === 'A')).toBe(true);
    expect(movements.at(-1)).toMatchObject({ delta: 10, quantity_before: 0, quantity_after: 10, reason: 'correction', actor: 'seed' });
    expect(movements[0]).toMatchObject({ delta: -1, quantity_before: 5, quantity_after: 4, reason: 'sale', source: 'api' });
  });

  it("when a store's movements are paged from a time, then they come oldest first, from that time inclusive", async () => {
    const all = await walk('/inventory/store/h1/movements', 2);
    const fourth = all.movements[3];

    const since = await walk(`/inventory/store/h1/movements?since=${encodeURIComponent(fourth.at)}`, 500);

    expect(all.movements).toHaveLength(8);
    expect(all.movements.map((movement) => movement.at)).toEqual([...all.movements.map((movement) => movement.at)].sort());
    expect(since.movements[0]).toEqual(fourth);
    expect(since.movements).toEqual(all.movements.filter((movement) => movement.at >= fourth.at));
  });

  it("when a storm's movements sit in its compact chunks among API movements, then both listings show each once, in order", async () => {
    await updater.adjust({ store_id: 'h3', sku: 'S-005', delta: 5, reason: 'receiving' });
    const at = new Date().toISOString();
    const skus = Array.from({ length: 40 }, (_, i) => `S-${String(i).padStart(3, '0')}`);
    await env.backends.repository.putItems(
      skus.map((sku) => ({ store_id: 'h3', sku, quantity: 20, updated_at: at, version: 1001, restock_storm: 'storm-x' })),
    );
    await env.backends.history.recordStormMovements(
      'storm-x',
      skus.map((sku) => ({
        movement_id: `storm-x-${sku}`,
        store_id: 'h3',
        sku,
        delta: sku === 'S-005' ? 15 : 20,
        quantity_before: sku === 'S-005' ? 5 : 0,
        quantity_after: 20,
        version: 1001,
        reason: 'restock_sync',
        source: 'storm',
        reference: 'storm:storm-x',
        actor: 'restock-worker',
        on_behalf_of: null,
        idempotency_key: null,
        request_id: null,
        at,
      })),
    );
    await updater.adjust({ store_id: 'h3', sku: 'S-005', delta: -1, reason: 'sale' });

    const sku = await walk('/inventory/store/h3/sku/S-005/movements', 1);
    expect(sku.movements.map((movement) => [movement.version, movement.source, movement.quantity_after])).toEqual([
      [1002, 'api', 19],
      [1001, 'storm', 20],
      [1, 'api', 5],
    ]);
    const store = await walk('/inventory/store/h3/movements', 7);
    expect(store.movements).toHaveLength(42);
    expect(new Set(store.movements.map((movement) => movement.movement_id)).size).toBe(42);
    // All at the storm's instant: chunk by chunk (a bucket of SKUs each), each in SKU order.
    expect(
      store.movements
        .slice(1, 41)
        .map((movement) => movement.sku)
        .sort(),
    ).toEqual(skus);
    expect(store.movements.find((movement) => movement.sku === 'S-005' && movement.source === 'storm')).toEqual(sku.movements[1]);
    expect([store.movements[0].version, store.movements[41].version]).toEqual([1, 1002]);
  });

  it('when a SKU or store has no movements, then the page is empty and has no cursor', async () => {
    expect(await jsonOf(await get('/inventory/store/h1/sku/NONE/movements'))).toEqual({ movements: [], next_cursor: null });
    expect(await jsonOf(await get('/inventory/store/nobody/movements'))).toEqual({ movements: [], next_cursor: null });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['cursor=forged', 'cursor'],
    ['since=yesterday', 'since'],
  ])('when the query is %s, then 400 names %s', async (query, field) => {
    const response = await get(`/inventory/store/h1/movements?${query}`);

    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
  });

  it("when a cursor of one store's listing is sent for another's, then it is refused and no other store's data is shown", async () => {
    const first = await jsonOf(await get('/inventory/store/h1/movements?limit=1'));

    const elsewhere = await get(`/inventory/store/h2/movements?cursor=${encodeURIComponent(first.next_cursor)}`);
    const otherSku = await get(`/inventory/store/h1/sku/B/movements?cursor=${encodeURIComponent(first.next_cursor)}`);

    expect(elsewhere.status).toBe(400);
    expect((await jsonOf(elsewhere)).error.message).toMatch(/cursor was issued for another listing/);
    expect(otherSku.status).toBe(400);
  });

  it('when the path holds an id outside the allowed characters, then 400 names it', async () => {
    const response = await get('/inventory/store/h1/sku/A%20B/movements');

    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error.details[0].field).toBe('sku');
  });
});
