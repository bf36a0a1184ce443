import { randomUUID } from 'node:crypto';
import { type InventoryTestEnvironment, jsonOf, startInventoryTestEnvironment } from '@inventory/service/testing';
import { allStoreMovements } from '@inventory/stock/movements/testing';
import { startTestWriteApi, type TestWriteApi } from './write-api.testing';

const STORE = 'bad-in';
const OTHER = 'bad-other';

/** Reservations and transfers refuse bad input: a JSON 4xx naming the field, nothing written, the key still free. */
describe('write-api promises: bad input', () => {
  let env: InventoryTestEnvironment;
  let api: TestWriteApi;
  let tillOfOther: string;
  const ids: Record<string, string> = {};

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await api.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await jsonOf(response) };
  };
  /** Everything a refused call could have changed in either store: items (with promises, through the table) and movements. */
  const written = async () =>
    JSON.stringify(
      await Promise.all(
        [STORE, OTHER].map(async (store) => [
          await env.backends.repository.listStoreItems(store),
          (await allStoreMovements(env.backends.history, store)).length,
          [...(await env.backends.promiseRecords.ofStore(store))],
        ]),
      ),
    );
  const hold = async (quantity: number, expires_in_seconds = 600) =>
    (await post('/inventory/reservations', { store_id: STORE, items: [{ sku: 'A', quantity }], expires_in_seconds })).body
      .reservation_id as string;

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startTestWriteApi(env);
    await post('/inventory/update', { store_id: STORE, sku: 'A', quantity: 20 });
    await post('/inventory/update', { store_id: OTHER, sku: 'A', quantity: 20 });
    const key = await post('/admin/api-keys', { name: 'till-other', role: 'till', stores: [OTHER] });
    tillOfOther = `Bearer ${key.body.secret}`;
    ids['held'] = await hold(2);
    ids['expired'] = await hold(1, 1);
    ids['committed'] = await hold(1);
    ids['released'] = await hold(1);
    await post(`/inventory/reservations/${ids['committed']}/commit`, {});
    await post(`/inventory/reservations/${ids['released']}/release`, {});
    ids['transfer'] = (
      await post('/inventory/transfers', { from_store: STORE, to_store: OTHER, items: [{ sku: 'A', quantity: 1 }] })
    ).body.transfer_id;
    await post(`/inventory/transfers/${ids['transfer']}/receive`, {});
    // The sweeper (write-api runs it) ends the one-second hold: the cases then find it expired, settled.
    while ((await api.parts.promises.views.storedReservation(ids['expired'], {})).view.state === 'held')
      await new Promise((resolve) => setTimeout(resolve, 100));
  });

  afterAll(async () => {
    await api?.stop();
    await env?.stop();
  });

  type Case = [string, string, unknown, number, string];
  const reserve = (items: unknown, more: object = {}): [string, unknown] => [
    '/inventory/reservations',
    { store_id: STORE, items, ...more },
  ];
  const many = Array.from({ length: 33 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }));
  it.each<Case>([
    ['quantity 0', ...reserve([{ sku: 'A', quantity: 0 }]), 400, 'items.0.quantity'],
    ['a negative quantity', ...reserve([{ sku: 'A', quantity: -1 }]), 400, 'items.0.quantity'],
    ['a fractional quantity', ...reserve([{ sku: 'A', quantity: 1.5 }]), 400, 'items.0.quantity'],
    ['a quantity over the limit', ...reserve([{ sku: 'A', quantity: 2 ** 31 }]), 400, 'items.0.quantity'],
    ['expiry 0', ...reserve([{ sku: 'A', quantity: 1 }], { expires_in_seconds: 0 }), 400, 'expires_in_seconds'],
    ['a negative expiry', ...reserve([{ sku: 'A', quantity: 1 }], { expires_in_seconds: -5 }), 400, 'expires_in_seconds'],
    ['an expiry over 7 days', ...reserve([{ sku: 'A', quantity: 1 }], { expires_in_seconds: 604_801 }), 400, 'expires_in_seconds'],
    ['no items', ...reserve([]), 400, 'items'],
    [
      'a SKU twice',
      ...reserve([
        { sku: 'A', quantity: 1 },
        { sku: 'A', quantity: 1 },
      ]),
      400,
      'items.1.sku',
    ],
    ['more items than one transaction holds', ...reserve(many), 400, 'items'],
    ['more than available', ...reserve([{ sku: 'A', quantity: 99 }]), 409, 'A'],
    [
      'a commit of more units than held',
      '/inventory/reservations/{held}/commit',
      { items: [{ sku: 'A', quantity: 3 }] },
      400,
      'items.0.quantity',
    ],
    [
      'a commit of an unknown reservation',
      '/inventory/reservations/00000000-0000-4000-8000-000000000000/commit',
      {},
      404,
      'no reservation',
    ],
    ['a commit of an expired reservation', '/inventory/reservations/{expired}/commit', {}, 409, 'expired'],
    ['a commit of a committed reservation', '/inventory/reservations/{committed}/commit', {}, 409, 'committed'],
    ['a release of a released reservation', '/inventory/reservations/{released}/release', {}, 409, 'released'],
    ['a release of an id never issued in that shape', '/inventory/reservations/not-an-id/release', {}, 400, 'reservationId'],
    [
      'a transfer to the same store',
      '/inventory/transfers',
      { from_store: STORE, to_store: STORE, items: [{ sku: 'A', quantity: 1 }] },
      400,
      'to_store',
    ],
    [
      'a transfer of more than the source holds',
      '/inventory/transfers',
      { from_store: STORE, to_store: OTHER, items: [{ sku: 'A', quantity: 500 }] },
      409,
      'A',
    ],
    ['a transfer received twice', '/inventory/transfers/{transfer}/receive', {}, 409, 'received'],
  ])(
    'when %s is sent, then it is a JSON %s… naming it, nothing is written and the key stays free',
    async (_case, path, body, status, named) => {
      const before = await written();
      const key = randomUUID();
      const answer = await post(
        String(path).replace(/\{(\w+)\}/, (_m, name: string) => ids[name] ?? ''),
        body,
        { 'idempotency-key': key },
      );
      expect(answer.status).toBe(status);
      expect(JSON.stringify(answer.body.error)).toContain(String(named));
      expect(await written()).toEqual(before);
      // The key was not consumed: a good request under it applies (and is then released, to leave the store as it was).
      const good = await post(
        '/inventory/reservations',
        { store_id: STORE, items: [{ sku: 'A', quantity: 1 }] },
        { 'idempotency-key': key },
      );
      expect(good.status).toBe(201);
      expect(good.body.reservation_id).toBeDefined();
      await post(`/inventory/reservations/${good.body.reservation_id}/release`, {});
    },
  );

  it("when a till names another store's reservation, then it is refused 403 naming the store, and nothing changes", async () => {
    const before = await written();
    const answer = await fetch(`${api.url}/inventory/reservations/${ids['held']}/commit`, {
      method: 'POST',
      headers: { authorization: tillOfOther, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(403);
    expect((await jsonOf(answer)).error.stores).toEqual([STORE]);
    expect(await written()).toEqual(before);
  });
});
