import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { type InventoryTestEnvironment, jsonOf, startInventoryTestEnvironment } from '@inventory/service/testing';
import { movementTableName } from '@inventory/stock/movements';
import { skuMovements } from '@inventory/stock/movements/testing';
import { startTestWriteApi, type TestWriteApi } from './write-api.testing';

// The HTTP contract of the stock writes; their behaviour under races, refusals and repeated keys is
// specified beside the writers (libs/stock/store-update/src/lib/inventory-updater.spec.ts).
describe('write-api stock movements', () => {
  let env: InventoryTestEnvironment;
  let api: TestWriteApi;

  const send = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    api.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const adjust = (body: unknown, headers?: Record<string, string>) => send('/inventory/adjust', body, headers);
  const update = (body: unknown, headers?: Record<string, string>) => send('/inventory/update', body, headers);

  async function itemCount(tableName: string): Promise<number> {
    const result = await env.backends.dynamodb.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ConsistentRead: true }));
    return result.Count ?? 0;
  }
  const storedCounts = async () => ({
    items: await itemCount(env.config.DYNAMODB_TABLE),
    records: await itemCount(movementTableName(env.config.DYNAMODB_TABLE)),
  });
  const quantityOf = async (storeId: string, sku: string) =>
    (await env.backends.repository.listStoreItems(storeId)).find((item) => item.sku === sku)?.quantity;
  const movementsOf = (storeId: string, sku: string) => skuMovements(env.backends.history, storeId, sku);

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startTestWriteApi(env, { ownMetrics: true });
  });

  afterAll(async () => {
    await api?.stop();
    await env?.stop();
  });

  it('when a SKU is adjusted, then the answer carries the stored item and its movement, and the history holds it', async () => {
    const response = await adjust(
      { store_id: 'mv-1', sku: 'A', delta: 12, reason: 'receiving', reference: 'PO-77' },
      { 'X-Actor': 'dock-3' },
    );

    expect(response.status).toBe(200);
    const answer = await jsonOf(response);
    expect(answer).toEqual({
      store_id: 'mv-1',
      sku: 'A',
      quantity: 12,
      updated_at: expect.stringMatching(/Z$/),
      version: 1,
      movement: {
        movement_id: expect.any(String),
        store_id: 'mv-1',
        sku: 'A',
        delta: 12,
        quantity_before: 0,
        quantity_after: 12,
        version: 1,
        reason: 'receiving',
        source: 'api',
        reference: 'PO-77',
        actor: 'key:local-admin LOCAL_ADMIN_KEY',
        on_behalf_of: 'dock-3',
        idempotency_key: null,
        request_id: response.headers.get('x-request-id'),
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      },
    });
    expect(await movementsOf('mv-1', 'A')).toEqual([answer.movement]);
    expect(await env.backends.counters.store('mv-1')).toEqual({ units: 12, skus: 1, updates: 1 });
  });

  it('when change_from_quantity does not match, then 409 STALE_QUANTITY carries the stored item and nothing changes', async () => {
    await update({ store_id: 'mv-cas', sku: 'A', quantity: 5 });

    const stale = await update({ store_id: 'mv-cas', sku: 'A', quantity: 9, change_from_quantity: 4 });
    const body = await jsonOf(stale);
    const matching = await update({ store_id: 'mv-cas', sku: 'A', quantity: 9, change_from_quantity: 5 });
    const unknownHoldsZero = await update({ store_id: 'mv-cas', sku: 'NEW', quantity: 3, change_from_quantity: 0 });

    expect(stale.status).toBe(409);
    expect(body).toEqual({
      error: {
        code: 'STALE_QUANTITY',
        message: expect.stringContaining('change_from_quantity'),
        current: { store_id: 'mv-cas', sku: 'A', quantity: 5, updated_at: expect.any(String), version: 1 },
      },
      request_id: expect.any(String),
    });
    expect(matching.status).toBe(200);
    expect((await jsonOf(matching)).movement).toMatchObject({ delta: 4, quantity_before: 5, quantity_after: 9, version: 2 });
    expect(unknownHoldsZero.status).toBe(200);
    expect((await movementsOf('mv-cas', 'A')).map((movement) => movement.quantity_after)).toEqual([5, 9]);
  });

  it('when an adjust would go below 0 or above the int32 limit, then 409 names it and nothing is written', async () => {
    await update({ store_id: 'mv-limit', sku: 'A', quantity: 2_147_483_000 });
    const before = await storedCounts();

    const over = await adjust({ store_id: 'mv-limit', sku: 'A', delta: 1_000 });
    const under = await adjust({ store_id: 'mv-limit', sku: 'UNKNOWN', delta: -1 });

    expect(over.status).toBe(409);
    expect((await jsonOf(over)).error.code).toBe('QUANTITY_OVER_LIMIT');
    expect(under.status).toBe(409);
    expect((await jsonOf(under)).error).toMatchObject({ code: 'INSUFFICIENT_STOCK', current: { sku: 'UNKNOWN', quantity: 0, version: 0 } });
    expect(await storedCounts()).toEqual(before);
  });

  describe('idempotency keys', () => {
    it('when write-api restarts, then a repeat still replays; the same key with another body is 422', async () => {
      const key = 'restart-key-1';
      const first = await jsonOf(await update({ store_id: 'mv-idem', sku: 'B', quantity: 8 }, { 'Idempotency-Key': key }));
      await api.stop();
      api = await startTestWriteApi(env, { ownMetrics: true });

      const repeat = await update({ store_id: 'mv-idem', sku: 'B', quantity: 8 }, { 'Idempotency-Key': key });
      const reused = await update({ store_id: 'mv-idem', sku: 'B', quantity: 9 }, { 'Idempotency-Key': key });
      const otherRoute = await adjust({ store_id: 'mv-idem', sku: 'B', delta: 8 }, { 'Idempotency-Key': key });

      expect(repeat.status).toBe(200);
      expect(repeat.headers.get('idempotent-replayed')).toBe('true');
      expect(await jsonOf(repeat)).toEqual(first);
      expect(reused.status).toBe(422);
      expect((await jsonOf(reused)).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(otherRoute.status).toBe(422);
      expect(await quantityOf('mv-idem', 'B')).toBe(8);
    });

    it('when a keyed adjust is refused (409), then the key is not consumed', async () => {
      const key = 'refused-then-retried';
      const refused = await adjust({ store_id: 'mv-idem', sku: 'C', delta: -1 }, { 'Idempotency-Key': key });
      await update({ store_id: 'mv-idem', sku: 'C', quantity: 1 });
      const retried = await adjust({ store_id: 'mv-idem', sku: 'C', delta: -1 }, { 'Idempotency-Key': key });

      expect(refused.status).toBe(409);
      expect(retried.status).toBe(200);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      expect(await quantityOf('mv-idem', 'C')).toBe(0);
    });
  });

  describe('bad input', () => {
    const valid = { store_id: 'mv-bad', sku: 'A', delta: -1 };
    const cases: Array<[string, string, unknown, Record<string, string>, string]> = [
      ['delta missing', '/inventory/adjust', { store_id: 'mv-bad', sku: 'A' }, {}, 'delta'],
      ['delta 0', '/inventory/adjust', { ...valid, delta: 0 }, {}, 'delta'],
      ['delta fractional', '/inventory/adjust', { ...valid, delta: 1.5 }, {}, 'delta'],
      ['delta a string', '/inventory/adjust', { ...valid, delta: '-1' }, {}, 'delta'],
      ['delta beyond 2^31-1', '/inventory/adjust', { ...valid, delta: 2 ** 31 }, {}, 'delta'],
      ['delta below -(2^31-1)', '/inventory/adjust', { ...valid, delta: -(2 ** 31) }, {}, 'delta'],
      ['an unknown reason', '/inventory/adjust', { ...valid, reason: 'theft' }, {}, 'reason'],
      ['a reference over 256 characters', '/inventory/adjust', { ...valid, reference: 'r'.repeat(257) }, {}, 'reference'],
      ['a reference with a control character', '/inventory/adjust', { ...valid, reference: 'PO\u00071' }, {}, 'reference'],
      [
        'change_from_quantity negative',
        '/inventory/update',
        { store_id: 'mv-bad', sku: 'A', quantity: 1, change_from_quantity: -1 },
        {},
        'change_from_quantity',
      ],
      [
        'change_from_quantity not an integer',
        '/inventory/update',
        { store_id: 'mv-bad', sku: 'A', quantity: 1, change_from_quantity: 2.5 },
        {},
        'change_from_quantity',
      ],
      [
        'change_from_quantity a string',
        '/inventory/update',
        { store_id: 'mv-bad', sku: 'A', quantity: 1, change_from_quantity: '2' },
        {},
        'change_from_quantity',
      ],
      ['an empty Idempotency-Key', '/inventory/adjust', valid, { 'Idempotency-Key': '' }, 'Idempotency-Key'],
      ['an Idempotency-Key over 255 characters', '/inventory/adjust', valid, { 'Idempotency-Key': 'k'.repeat(256) }, 'Idempotency-Key'],
      ['an Idempotency-Key with a space', '/inventory/adjust', valid, { 'Idempotency-Key': 'two words' }, 'Idempotency-Key'],
      ['an Idempotency-Key with a non-ASCII character', '/inventory/adjust', valid, { 'Idempotency-Key': 'clé' }, 'Idempotency-Key'],
      ['an X-Actor over 128 characters', '/inventory/adjust', valid, { 'X-Actor': 'a'.repeat(129) }, 'X-Actor'],
    ];

    it.each(cases)(
      'when %s, then 400 names the field, nothing is written and the key stays free',
      async (_case, path, body, headers, field) => {
        await update({ store_id: 'mv-bad', sku: 'A', quantity: 10 });
        const before = await storedCounts();
        const key = `bad-input-${randomUUID()}`;

        const response = await send(path, body, { 'Idempotency-Key': key, ...headers });

        expect(response.status).toBe(400);
        const error = (await jsonOf(response)).error;
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.details.map((detail: { field: string }) => detail.field)).toContain(field);
        expect(await storedCounts()).toEqual(before);
        const keyed = await adjust(valid, { 'Idempotency-Key': key });
        expect(keyed.status).toBe(200);
        expect(keyed.headers.get('idempotent-replayed')).toBeNull();
      },
    );
  });
});
