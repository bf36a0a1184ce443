/**
 * Reservations against a real write-api process killed with SIGKILL (apps/README.md#reservations-and-transfers):
 * every call retried with its key until answered; each hold ends exactly once, by commit, release
 * or expiry, and the ledger, the promise records and the counters add up. The releasing process is
 * write-api itself (it sweeps expired holds): killed mid-expiry, its successor releases the rest.
 */
import { randomUUID } from 'node:crypto';
import type { StockMovement } from '@inventory/domain/model';
import { type AppEnvironment, startAppEnvironment } from '@inventory/service/built-apps';
import { allStoreMovements, ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { createInventoryClient, type InventoryClient } from '@inventory/client';
import { KilledWriteApi } from './killed-write-api';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How late a hold may be released after its expiry while a write-api runs (apps/README.md#reservations-and-transfers). */
const EXPIRY_BOUND_MS = 3_000;
/** How long after a restart the holds that came due while no write-api ran are all released (this test's backlog, ~7 s of expiries). */
const BACKLOG_DRAINED_MS = 15_000;

describe('reservations while write-api is killed with SIGKILL', () => {
  let env: AppEnvironment | undefined;
  let writeApi: KilledWriteApi | undefined;
  let failedAttempts = 0;

  /** What a client call answered: its body (the success's or the error's) and the response. */
  type Sent = { data?: unknown; error?: unknown; response: Response };

  /**
   * Sends a keyed call through the typed client until write-api gives a final answer (2xx, or a 4xx
   * that is the caller's), through kills and restarts: `send` gets a client of the write-api running
   * now, and the request's headers (its key) and deadline.
   */
  async function settle(
    send: (api: InventoryClient, init: { params: { header: { 'Idempotency-Key': string } }; signal: AbortSignal }) => Promise<Sent>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const key = randomUUID();
    for (;;) {
      const api = createInventoryClient({ baseUrl: writeApi?.url ?? '', headers: { authorization: env?.authorization ?? '' } });
      const answer = await send(api, { params: { header: { 'Idempotency-Key': key } }, signal: AbortSignal.timeout(20_000) }).catch(
        () => undefined,
      );
      const json = (answer?.data ?? answer?.error ?? {}) as Record<string, unknown>;
      const code = (json['error'] as { code?: string } | undefined)?.code;
      // Not final: a reset (killed mid-request), not up yet, the key still in flight, contended.
      const retry = !answer || answer.response.status >= 500 || code === 'IDEMPOTENCY_KEY_IN_USE';
      if (!retry) return { status: answer.response.status, body: json };
      failedAttempts += 1;
      await sleep(100);
    }
  }
  const setQuantity = (store_id: string, sku: string, quantity: number) =>
    settle((api, init) => api.POST('/inventory/update', { ...init, body: { store_id, sku, quantity } }));
  const hold = (store_id: string, sku: string, expires_in_seconds: number) =>
    settle((api, init) =>
      api.POST('/inventory/reservations', { ...init, body: { store_id, items: [{ sku, quantity: 1 }], expires_in_seconds } }),
    );
  const path = (reservationId: string) => ({ path: { reservationId } });

  const backends = () => (env as AppEnvironment).backends;
  const promiseOf = async (store: string, sku: string) => (await backends().promiseRecords.ofKeys([{ storeId: store, sku }]))(store, sku);
  const countersEqualTable = async (store: string) =>
    expect(await backends().counters.storeQuantities(store)).toEqual(
      new Map((await backends().repository.listStoreItems(store)).map((item) => [item.sku, item.quantity])),
    );

  beforeAll(async () => {
    env = await startAppEnvironment({ stores: 10, skusPerStore: 2, env: { RATE_LIMIT_WRITES_PER_MINUTE: '0' } });
    writeApi = await KilledWriteApi.start(env);
  }, 60_000);

  afterAll(async () => {
    await writeApi?.stop();
    await env?.stop();
  });

  it('when 500 one-unit holds race for 100 available while write-api is killed, then exactly 100 are held; 60 committed, 20 released and 20 expired leave on hand and reserved exact, the ledger chained and the counters equal', async () => {
    const store = 'store-1';
    const sku = 'SKU-1001';
    expect((await setQuantity(store, sku, 100)).status).toBe(200);
    failedAttempts = 0;
    const holds = Promise.all(Array.from({ length: 500 }, () => hold(store, sku, 600)));
    await writeApi?.killRepeatedly(3);
    const answers = await holds;
    const held = answers.filter((answer) => answer.status === 201).map((answer) => String(answer.body['reservation_id']));
    expect(held).toHaveLength(100);
    expect(new Set(held).size).toBe(100);
    expect(answers.filter((answer) => answer.status !== 201).map((answer) => (answer.body['error'] as { code: string }).code)).toEqual(
      Array(400).fill('INSUFFICIENT_AVAILABLE'),
    );
    expect(await promiseOf(store, sku)).toEqual({ reserved: 100, incoming: 0, safety_stock: 0 });

    const steps = Promise.all([
      ...held
        .slice(0, 60)
        .map((id) =>
          settle((api, init) =>
            api.POST('/inventory/reservations/{reservationId}/commit', { ...init, params: { ...init.params, ...path(id) }, body: {} }),
          ),
        ),
      ...held
        .slice(60, 80)
        .map((id) =>
          settle((api, init) =>
            api.POST('/inventory/reservations/{reservationId}/release', { ...init, params: { ...init.params, ...path(id) } }),
          ),
        ),
      ...held.slice(80).map((id) =>
        settle((api, init) =>
          api.POST('/inventory/reservations/{reservationId}/extend', {
            ...init,
            params: { ...init.params, ...path(id) },
            body: { expires_in_seconds: 1 },
          }),
        ),
      ),
    ]);
    await writeApi?.killRepeatedly(2);
    expect((await steps).map((answer) => answer.status)).toEqual(Array(100).fill(200));
    expect(failedAttempts).toBeGreaterThan(0);

    // The sweeper of the write-api now running expires the 20.
    for (const giveUp = Date.now() + 20_000; (await promiseOf(store, sku))?.reserved !== 0 && Date.now() < giveUp;) await sleep(200);
    expect(await promiseOf(store, sku)).toEqual({ reserved: 0, incoming: 0, safety_stock: 0 });
    const movements = (await allStoreMovements(backends().history, store)).filter((movement) => movement.sku === sku);
    const count = (reason: string) => movements.filter((movement) => movement.reason === reason).length;
    expect({ reserve: count('reserve'), sale: count('sale'), release: count('release'), expire: count('expire') }).toEqual({
      reserve: 100,
      sale: 60,
      release: 20,
      expire: 20,
    });
    expect((await backends().writes.readState(store, sku)).quantity).toBe(40);
    // Every SKU of the store chains from its seeded quantity to what it holds.
    const seeded = new Map([...(env as AppEnvironment).seeded].filter(([key]) => key.startsWith(`${store}/`)));
    expect(await ledgerProblemsIn(backends(), seeded)).toEqual([]);
    await countersEqualTable(store);
  }, 240_000);

  it(`when 1,000 holds expire within a minute and the releasing write-api is killed mid-way, then each is released exactly once, within ${EXPIRY_BOUND_MS} ms of its expiry, or after the restart within ${BACKLOG_DRAINED_MS} ms`, async () => {
    const stores = Array.from({ length: 10 }, (_, i) => `store-${i + 1}`);
    const sku = 'SKU-1002';
    for (const store of stores) expect((await setQuantity(store, sku, 1_000)).status).toBe(200);
    // 100 holds a store, expiring 40–80 s from their creation (after the last is made, on a loaded box too): ~25 a second over 40 s.
    const created = await Promise.all(stores.flatMap((store) => Array.from({ length: 100 }, (_, i) => hold(store, sku, 40 + (i % 40)))));
    const expiresAt = new Map(created.map(({ body }) => [String(body['reservation_id']), Date.parse(String(body['expires_at']))]));
    expect(expiresAt.size).toBe(1_000);
    const first = Math.min(...expiresAt.values());
    const last = Math.max(...expiresAt.values());
    // Killed 15 s into the expiries, down for 5 s.
    await sleep(Math.max(0, first + 15_000 - Date.now()));
    const outage = (await writeApi?.kill(5_000)) as { killedAt: number; upAt: number };
    await sleep(Math.max(0, last + EXPIRY_BOUND_MS + 1_000 - Date.now()));

    const expiries: StockMovement[] = [];
    for (const store of stores) {
      expect(await promiseOf(store, sku)).toEqual({ reserved: 0, incoming: 0, safety_stock: 0 });
      expiries.push(
        ...(await allStoreMovements(backends().history, store)).filter((movement) => movement.sku === sku && movement.reason === 'expire'),
      );
    }
    // Exactly once: one expire movement per hold, none for any other.
    expect(expiries.map((movement) => movement.reservation_id).sort()).toEqual([...expiresAt.keys()].sort());
    // On time (apps/README.md#reservations-and-transfers): due while a write-api ran, within the bound of
    // its expiry; due while none ran (or being swept at the kill), after the restart, within the backlog's
    // drain; due once the backlog drained, within the bound again.
    const dueOf = (movement: StockMovement) => expiresAt.get(movement.reservation_id ?? '') ?? 0;
    const phase = (movement: StockMovement) =>
      dueOf(movement) < outage.killedAt - EXPIRY_BOUND_MS
        ? 'before'
        : dueOf(movement) <= outage.upAt + BACKLOG_DRAINED_MS
          ? 'backlog'
          : 'after';
    const lateness = (which: string) =>
      expiries
        .filter((movement) => phase(movement) === which)
        .map((movement) => {
          const released = Date.parse(movement.at);
          // A backlog hold counts from the restart, unless it was released before the kill.
          return released - (which === 'backlog' && released >= outage.killedAt ? Math.max(dueOf(movement), outage.upAt) : dueOf(movement));
        })
        .sort((a, b) => a - b);
    const [before, backlog, after] = [lateness('before'), lateness('backlog'), lateness('after')];
    // Said before it is judged, so a failed run shows the whole spread.
    const summary = (late: number[]) => `${late.length} holds, median ${late[late.length >> 1]} ms, max ${late.at(-1)} ms`;
    console.log(
      `expiry lateness: before the kill ${summary(before)}; write-api down ${outage.upAt - outage.killedAt} ms, then the backlog ${summary(backlog)} after the restart; after it ${summary(after)}`,
    );
    for (const [late, bound] of [
      [before, EXPIRY_BOUND_MS],
      [backlog, BACKLOG_DRAINED_MS],
      [after, EXPIRY_BOUND_MS],
    ] as const) {
      expect(late.length).toBeGreaterThan(50);
      expect(late.at(-1)).toBeLessThanOrEqual(bound);
    }
    // Never early.
    expect(expiries.filter((movement) => Date.parse(movement.at) < dueOf(movement))).toEqual([]);
    for (const store of stores) await countersEqualTable(store);
  }, 240_000);
});
