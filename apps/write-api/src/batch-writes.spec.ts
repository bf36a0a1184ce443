import { randomUUID } from 'node:crypto';
import { type InventoryTestEnvironment, jsonOf, startInventoryTestEnvironment } from '@inventory/service/testing';
import { startTestWriteApi, type TestWriteApi } from './write-api.testing';

describe('write-api batch writes (POST /inventory/batch)', () => {
  let env: InventoryTestEnvironment;
  let api: TestWriteApi;

  const batch = (body: unknown, headers: Record<string, string> = {}) =>
    api.fetch(`/inventory/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const set = (store: string, sku: string, quantity: number) =>
    api.fetch(`/inventory/update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ store_id: store, sku, quantity }),
    });
  const stored = async (store: string) =>
    new Map((await env.backends.repository.listStoreItems(store)).map((item) => [item.sku, item.quantity]));
  const counted = async (store: string) => env.backends.counters.storeQuantities(store);

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startTestWriteApi(env);
  });

  afterAll(async () => {
    await api?.stop();
    await env?.stop();
  });

  it('when a reject_all batch applies, then every row is stored with its movement, answered in row order, and the counters equal the table', async () => {
    await set('b-all', 'C', 10);
    const rows = [
      { sku: 'C', delta: -4, reason: 'sale' },
      { sku: 'A', quantity: 7, reason: 'receiving', reference: 'PO-1' },
      { sku: 'B', delta: 3 },
    ];
    const response = await batch({ store_id: 'b-all', error_policy: 'reject_all', rows }, { 'x-actor': 'dock-1' });
    expect(response.status).toBe(200);
    const { results } = await jsonOf(response);
    expect(results.map((row: { sku: string; status: string }) => [row.sku, row.status])).toEqual([
      ['C', 'applied'],
      ['A', 'applied'],
      ['B', 'applied'],
    ]);
    expect(results[0].item).toMatchObject({
      quantity: 6,
      version: 2,
      movement: { delta: -4, quantity_before: 10, reason: 'sale', actor: 'key:local-admin LOCAL_ADMIN_KEY', on_behalf_of: 'dock-1' },
    });
    expect(results[1].item.movement).toMatchObject({ quantity_before: 0, quantity_after: 7, reference: 'PO-1', source: 'api' });
    expect(await stored('b-all')).toEqual(
      new Map([
        ['A', 7],
        ['B', 3],
        ['C', 6],
      ]),
    );
    expect(await counted('b-all')).toEqual(await stored('b-all'));
  });

  it('when reject_all batches fill a transaction (99 rows and the notice, or 98, the notice and the key), then they apply', async () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ sku: `F${i}`, quantity: i }));
    expect((await batch({ store_id: 'b-full', error_policy: 'reject_all', rows: rows(99) })).status).toBe(200);
    const keyed = await batch({ store_id: 'b-full-key', error_policy: 'reject_all', rows: rows(98) }, { 'idempotency-key': randomUUID() });
    expect(keyed.status).toBe(200);
    expect((await stored('b-full')).size).toBe(99);
    expect((await stored('b-full-key')).size).toBe(98);
  });

  it('when one row of a reject_all batch cannot apply, then nothing is written and 409 BATCH_REJECTED says why, row by row', async () => {
    await set('b-none', 'A', 2);
    const before = await stored('b-none');
    const response = await batch({
      store_id: 'b-none',
      error_policy: 'reject_all',
      rows: [
        { sku: 'NEW', quantity: 5 },
        { sku: 'A', delta: -3 },
        { sku: 'A2', quantity: 1, change_from_quantity: 4 },
      ],
    });
    expect(response.status).toBe(409);
    const { error } = await jsonOf(response);
    expect(error.code).toBe('BATCH_REJECTED');
    expect(error.results.map((row: { status: string; error: { code: string } }) => [row.status, row.error.code])).toEqual([
      ['rejected', 'NOT_APPLIED'],
      ['rejected', 'INSUFFICIENT_STOCK'],
      ['rejected', 'STALE_QUANTITY'],
    ]);
    expect(error.results[1].error.current).toMatchObject({ sku: 'A', quantity: 2 });
    expect(await stored('b-none')).toEqual(before);
    expect(await counted('b-none')).toEqual(before);
  });

  it('when a keyed 1,000-row reject_failed_rows batch is applied, then it answers 200 and the same request again replays that answer byte for byte', async () => {
    const rows = Array.from({ length: 1_000 }, (_, i) => ({ sku: `K-${i}`, quantity: i, reference: `PO-${i}` }));
    const body = { store_id: 'b-thousand', error_policy: 'reject_failed_rows', rows };
    const key = randomUUID();
    const first = await batch(body, { 'idempotency-key': key });
    const firstText = await first.text();
    expect(first.status).toBe(200);
    expect(Buffer.byteLength(firstText)).toBeGreaterThan(400 * 1024);
    const again = await batch(body, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(firstText);
    expect((await stored('b-thousand')).size).toBe(1_000);
  }, 60_000);

  it('when a reject_failed_rows batch has rows that cannot apply, then the others are applied and each row says what happened, in row order', async () => {
    await set('b-rows', 'A', 1);
    const response = await batch({
      store_id: 'b-rows',
      error_policy: 'reject_failed_rows',
      rows: [
        { sku: 'A', delta: -5 },
        { sku: 'B', quantity: 4 },
        { sku: 'C', quantity: 9, change_from_quantity: 2 },
        { sku: 'D', delta: 1 },
      ],
    });
    expect(response.status).toBe(200);
    const { results } = await jsonOf(response);
    expect(results.map((row: { sku: string; status: string; error?: { code: string } }) => [row.sku, row.status, row.error?.code])).toEqual(
      [
        ['A', 'rejected', 'INSUFFICIENT_STOCK'],
        ['B', 'applied', undefined],
        ['C', 'rejected', 'STALE_QUANTITY'],
        ['D', 'applied', undefined],
      ],
    );
    expect(await stored('b-rows')).toEqual(
      new Map([
        ['A', 1],
        ['B', 4],
        ['D', 1],
      ]),
    );
    expect(await counted('b-rows')).toEqual(await stored('b-rows'));
  });

  it.each(['reject_all', 'reject_failed_rows'])(
    'when a keyed %s batch is sent again, then the first answer comes back and nothing changes; the key with another batch is 422',
    async (policy) => {
      const store = `b-key-${policy}`;
      const key = randomUUID();
      const body = {
        store_id: store,
        error_policy: policy,
        rows: [
          { sku: 'A', delta: 5 },
          { sku: 'B', delta: 2 },
        ],
      };
      const first = await batch(body, { 'idempotency-key': key });
      expect(first.status).toBe(200);
      const firstAnswer = await jsonOf(first);
      const again = await batch(body, { 'idempotency-key': key });
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await jsonOf(again)).toEqual(firstAnswer);
      expect(await stored(store)).toEqual(
        new Map([
          ['A', 5],
          ['B', 2],
        ]),
      );
      const other = await batch({ ...body, rows: [{ sku: 'A', delta: 6 }] }, { 'idempotency-key': key });
      expect(other.status).toBe(422);
      expect((await jsonOf(other)).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await stored(store)).toEqual(
        new Map([
          ['A', 5],
          ['B', 2],
        ]),
      );
    },
  );

  const row = (i: number) => ({ sku: `S${i}`, delta: 1 });
  it.each([
    [
      'reject_all over 99 rows',
      { error_policy: 'reject_all', rows: Array.from({ length: 100 }, (_, i) => row(i)) },
      {},
      'rows',
      /at most 99 rows/,
    ],
    [
      'reject_failed_rows over 1,000 rows',
      { error_policy: 'reject_failed_rows', rows: Array.from({ length: 1_001 }, (_, i) => row(i)) },
      {},
      'rows',
      /at most 1000 rows/,
    ],
    [
      'a keyed reject_all of 99 rows',
      { error_policy: 'reject_all', rows: Array.from({ length: 99 }, (_, i) => row(i)) },
      { 'idempotency-key': 'k-99' },
      'rows',
      /at most 98 rows/,
    ],
    ['a SKU twice', { error_policy: 'reject_all', rows: [row(1), row(2), row(1)] }, {}, 'rows.2.sku', /repeats rows\.0\.sku/],
    [
      'quantity and delta in one row',
      { error_policy: 'reject_all', rows: [{ sku: 'A', quantity: 1, delta: 1 }] },
      {},
      'rows.0.delta',
      /must not be given with quantity/,
    ],
    [
      'neither quantity nor delta',
      { error_policy: 'reject_failed_rows', rows: [{ sku: 'A' }] },
      {},
      'rows.0.quantity',
      /or delta is required/,
    ],
    [
      'change_from_quantity with a delta',
      { error_policy: 'reject_all', rows: [{ sku: 'A', delta: 1, change_from_quantity: 1 }] },
      {},
      'rows.0.change_from_quantity',
      /applies to a set/,
    ],
    ['a bad error policy', { error_policy: 'best_effort', rows: [row(1)] }, {}, 'error_policy', /reject_all or reject_failed_rows/],
    ['no rows', { error_policy: 'reject_all', rows: [] }, {}, 'rows', /at least one row/],
    ['a bad reason', { error_policy: 'reject_all', rows: [{ sku: 'A', delta: 1, reason: 'gift' }] }, {}, 'rows.0.reason', /must be one of/],
  ])('when a batch has %s, then 400 names the field and nothing is written', async (_case, body, headers, field, problem) => {
    const response = await batch({ store_id: 'b-bad', ...body }, headers as Record<string, string>);
    expect(response.status).toBe(400);
    const { error } = await jsonOf(response);
    expect(error.details).toContainEqual({ field, problem: expect.stringMatching(problem) });
    expect(await stored('b-bad')).toEqual(new Map());
  });
});
