import { randomUUID } from 'node:crypto';
import { AppError, DependencyUnavailableError, type PromiseState } from '@inventory/domain/model';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { ledgerProblemsIn, skuMovements } from '@inventory/stock/movements/testing';
import { movementTableName, PromiseRecords } from '@inventory/stock/movements';
import { GetItemCommand, TransactGetItemsCommand } from '@aws-sdk/client-dynamodb';
import { testStockWriters } from '@inventory/stock/store-update/testing';
import type { Promises } from './create-promises';
import { testPromises } from '../testing';
import { setSafetyStock } from './safety-stock';

/** What a refused call threw: its status, code and extra fields. */
async function refusal(
  call: Promise<unknown>,
): Promise<{ status: number; code: string; extra: Record<string, unknown>; details: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code, extra: error.extra, details: error.details };
    throw error;
  }
  throw new Error('the call applied');
}

describe('promises: reservations, expiry, transfers and safety stock over DynamoDB Local and Redis', () => {
  let env: InventoryTestEnvironment;
  /** Two "pods": each its own lanes, racing the other's conditions for real. */
  let pod: Promises;
  let otherPod: Promises;
  let records: PromiseRecords;

  const promiseOf = async (storeId: string, sku: string): Promise<PromiseState> => (await records.ofKeys([{ storeId, sku }]))(storeId, sku);
  const quantityOf = async (storeId: string, sku: string) => (await env.backends.writes.readState(storeId, sku)).quantity;
  const stock = (storeId: string, sku: string, quantity: number) =>
    testStockWriters(env).updater.update({ store_id: storeId, sku, quantity });
  const countersEqualTable = async (storeId: string) =>
    expect(await env.backends.counters.storeQuantities(storeId)).toEqual(
      new Map((await env.backends.repository.listStoreItems(storeId)).map((item) => [item.sku, item.quantity])),
    );

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    pod = testPromises(env);
    otherPod = testPromises(env);
    records = new PromiseRecords(env.backends.dynamodb, env.config.DYNAMODB_TABLE);
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('when 500 one-unit holds from two pods race for 100 available, then exactly 100 are held and 400 answered INSUFFICIENT_AVAILABLE; committing 60, releasing 20 and expiring 20 leaves on hand and reserved exact and the ledger chained', async () => {
    await stock('p-race', 'HOT', 100);
    // Each caller keyed, and retrying a 503 (contended past its window: likely on a loaded box) with its key, as a client does.
    const hold = async (from: Promises) => {
      const context = { idempotencyKey: randomUUID() };
      for (let attempt = 1; ; attempt++) {
        try {
          return (
            await from.reservations.create({ store_id: 'p-race', items: [{ sku: 'HOT', quantity: 1 }], expires_in_seconds: 600 }, context)
          ).answer;
        } catch (error) {
          if (!(error instanceof DependencyUnavailableError) || attempt === 20) return error as AppError;
        }
      }
    };
    const outcomes = await Promise.all(Array.from({ length: 500 }, (_, i) => hold(i % 2 ? pod : otherPod)));
    const held = outcomes.filter((outcome) => !(outcome instanceof AppError)) as Array<{ reservation_id: string; expires_at: string }>;
    const refused = outcomes.filter((outcome) => outcome instanceof AppError) as AppError[];
    expect(held).toHaveLength(100);
    expect(new Set(refused.map((error) => error.code))).toEqual(new Set(['INSUFFICIENT_AVAILABLE']));
    expect(refused[0]?.extra['items']).toEqual([{ sku: 'HOT', requested: 1, available: 0 }]);
    expect(await promiseOf('p-race', 'HOT')).toEqual({ reserved: 100, incoming: 0, safety_stock: 0 });

    // 60 committed (half by each pod), 20 released, and 20 cut to a second's expiry, all at once.
    await Promise.all([
      ...held.slice(0, 60).map((hold, i) => (i % 2 ? pod : otherPod).reservations.commit(hold.reservation_id, {})),
      ...held.slice(60, 80).map((hold) => pod.reservations.release(hold.reservation_id)),
      ...held.slice(80).map((hold) => otherPod.reservations.extend(hold.reservation_id, 1)),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    // Both pods sweep at once: each hold expires once.
    const swept = await Promise.all([pod.sweeper.sweep(), otherPod.sweeper.sweep()]);
    expect(swept[0] + swept[1]).toBe(20);
    expect(await Promise.all([pod.sweeper.sweep(), otherPod.sweeper.sweep()])).toEqual([0, 0]);

    expect(await quantityOf('p-race', 'HOT')).toBe(40);
    expect(await promiseOf('p-race', 'HOT')).toEqual({ reserved: 0, incoming: 0, safety_stock: 0 });
    expect(await ledgerProblemsIn(env.backends, new Map([['p-race/HOT', 0]]))).toEqual([]);
    const reasons = (await skuMovements(env.backends.history, 'p-race', 'HOT')).map((movement) => movement.reason);
    expect(reasons.filter((reason) => reason === 'reserve')).toHaveLength(100);
    expect(reasons.filter((reason) => reason === 'sale')).toHaveLength(60);
    expect(reasons.filter((reason) => reason === 'release')).toHaveLength(20);
    expect(reasons.filter((reason) => reason === 'expire')).toHaveLength(20);
    await countersEqualTable('p-race');
  }, 120_000);

  it('when sweeps run minutes later with nothing due, then the watermark moves past the empty minutes, and a hold due then still expires once', async () => {
    const watermark = async () =>
      Number(
        (
          await env.backends.dynamodb.send(
            new GetItemCommand({
              TableName: movementTableName(env.config.DYNAMODB_TABLE),
              Key: { pk: { S: 'expiry#watermark' }, sk: { S: 'record' } },
              ConsistentRead: true,
            }),
          )
        ).Item?.['minute']?.N,
      );
    await pod.sweeper.sweep();
    const before = await watermark();
    await stock('p-later', 'A', 1);
    const { answer: hold } = await pod.reservations.create({
      store_id: 'p-later',
      items: [{ sku: 'A', quantity: 1 }],
      expires_in_seconds: 600,
    });
    const later = testPromises(env, () => new Date(Date.now() + 20 * 60_000)).sweeper;
    expect(await later.sweep()).toBe(1);
    expect(await watermark()).toBeGreaterThanOrEqual(before + 5 * 60_000);
    expect((await pod.views.reservation(hold.reservation_id, {})).state).toBe('expired');
    expect(await later.sweep()).toBe(0);
  });

  it('when a hold is committed, released or extended after it ended or expired, then each answers its 409 and nothing changes', async () => {
    await stock('p-states', 'A', 10);
    const { answer: hold } = await pod.reservations.create({
      store_id: 'p-states',
      items: [{ sku: 'A', quantity: 3 }],
      expires_in_seconds: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect(await refusal(pod.reservations.commit(hold.reservation_id, {}))).toMatchObject({ status: 409, code: 'RESERVATION_EXPIRED' });
    expect(await refusal(pod.reservations.extend(hold.reservation_id, 60))).toMatchObject({ code: 'RESERVATION_EXPIRED' });
    expect((await pod.views.reservation(hold.reservation_id, {})).state).toBe('expired');
    expect(await pod.reservations.expire(hold.reservation_id, 'p-states')).toBe(true);
    expect(await refusal(pod.reservations.release(hold.reservation_id))).toMatchObject({
      code: 'RESERVATION_NOT_HELD',
      extra: { state: 'expired' },
    });

    const { answer: other } = await pod.reservations.create({
      store_id: 'p-states',
      items: [{ sku: 'A', quantity: 2 }],
      expires_in_seconds: 60,
    });
    expect(await refusal(pod.reservations.commit(other.reservation_id, { items: [{ sku: 'A', quantity: 3 }] }))).toMatchObject({
      status: 400,
      details: [{ field: 'items.0.quantity', problem: 'must be at most 2, the units held' }],
    });
    expect(await refusal(pod.reservations.commit(other.reservation_id, { items: [{ sku: 'B', quantity: 1 }] }))).toMatchObject({
      status: 400,
      details: [{ field: 'items.0.sku', problem: 'B is not in this reservation' }],
    });
    const { answer: extended } = await pod.reservations.extend(other.reservation_id, 3_600);
    expect(Date.parse(extended.expires_at)).toBeGreaterThan(Date.now() + 3_500_000);
    const { answer: committed } = await pod.reservations.commit(other.reservation_id, { items: [{ sku: 'A', quantity: 1 }] });
    expect(committed).toMatchObject({ state: 'committed', committed_items: [{ sku: 'A', quantity: 1 }] });
    expect(await refusal(pod.reservations.commit(other.reservation_id, {}))).toMatchObject({ code: 'RESERVATION_NOT_HELD' });
    expect(await refusal(pod.reservations.commit('00000000-0000-0000-0000-000000000000', {}))).toMatchObject({ status: 404 });
    expect(await quantityOf('p-states', 'A')).toBe(9);
    expect(await promiseOf('p-states', 'A')).toEqual({ reserved: 0, incoming: 0, safety_stock: 0 });
    expect(await ledgerProblemsIn(env.backends, new Map([['p-states/A', 0]]))).toEqual([]);
  });

  it('when a till sells units that are reserved, then the sale is never refused, the item shows them at risk, and a commit of them sells only what is on the shelf, recording the shortfall', async () => {
    await stock('p-risk', 'A', 3);
    const { answer: hold } = await pod.reservations.create({
      store_id: 'p-risk',
      items: [{ sku: 'A', quantity: 2 }],
      expires_in_seconds: 60,
    });
    await testStockWriters(env).updater.adjust({ store_id: 'p-risk', sku: 'A', delta: -2, reason: 'sale' });
    expect(await quantityOf('p-risk', 'A')).toBe(1);
    const { answer } = await pod.reservations.commit(hold.reservation_id, {});
    expect(answer.state).toBe('committed');
    const [sale] = (await skuMovements(env.backends.history, 'p-risk', 'A')).slice(-1);
    expect(sale).toMatchObject({ reason: 'sale', delta: -1, shortfall: 1, reservation_id: hold.reservation_id, reserved_after: 0 });
    expect(await ledgerProblemsIn(env.backends, new Map([['p-risk/A', 0]]))).toEqual([]);
  });

  it('when safety stock is set, then holds are checked against on hand less reserved less safety stock', async () => {
    await stock('p-safety', 'A', 5);
    await setSafetyStock(pod.ledger, 'p-safety', 'A', 2, {});
    const short = await refusal(
      pod.reservations.create({ store_id: 'p-safety', items: [{ sku: 'A', quantity: 4 }], expires_in_seconds: 60 }),
    );
    expect(short).toMatchObject({ code: 'INSUFFICIENT_AVAILABLE', extra: { items: [{ sku: 'A', requested: 4, available: 3 }] } });
    await pod.reservations.create({ store_id: 'p-safety', items: [{ sku: 'A', quantity: 3 }], expires_in_seconds: 60 });
    expect(await promiseOf('p-safety', 'A')).toEqual({ reserved: 3, incoming: 0, safety_stock: 2 });
  });

  it('when a transfer ships, is received in part and the rest cancelled, while a reader polls both stores, then source on hand + destination on hand + incoming always equals the units at the start', async () => {
    await stock('p-from', 'T', 50);
    const table = env.config.DYNAMODB_TABLE;
    let reading = true;
    let reads = 0;
    const broken: string[] = [];
    const reader = (async () => {
      while (reading) {
        // DynamoDB's serializable read of the three: the state at one instant.
        const { Responses: [source, destination, promise] = [] } = await env.backends.dynamodb.send(
          new TransactGetItemsCommand({
            TransactItems: [
              { Get: { TableName: table, Key: { store_id: { S: 'p-from' }, sku: { S: 'T' } } } },
              { Get: { TableName: table, Key: { store_id: { S: 'p-to' }, sku: { S: 'T' } } } },
              { Get: { TableName: movementTableName(table), Key: { pk: { S: 'promise#p-to' }, sk: { S: 'T' } } } },
            ],
          }),
        );
        const units = (read: typeof source, field: string) => Number(read?.Item?.[field]?.N ?? 0);
        const total = units(source, 'quantity') + units(destination, 'quantity') + units(promise, 'incoming');
        if (total !== 50) broken.push(`${units(source, 'quantity')}+${units(destination, 'quantity')}+${units(promise, 'incoming')}`);
        reads += 1;
      }
    })();
    // The reader sees every state: a few reads before the first step and after each, however slow the box.
    const readsMore = async () => {
      for (const until = reads + 3; reads < until;) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    await readsMore();
    const { answer: shipped } = await pod.transfers.create({ from_store: 'p-from', to_store: 'p-to', items: [{ sku: 'T', quantity: 20 }] });
    expect(shipped.state).toBe('in_transit');
    await readsMore();
    expect((await pod.transfers.receive(shipped.transfer_id, [{ sku: 'T', quantity: 5 }])).answer.state).toBe('partially_received');
    await readsMore();
    expect((await pod.transfers.cancel(shipped.transfer_id)).answer.state).toBe('cancelled');
    expect(await refusal(pod.transfers.receive(shipped.transfer_id, undefined))).toMatchObject({ code: 'TRANSFER_NOT_IN_TRANSIT' });
    await readsMore();
    reading = false;
    await reader;
    expect(broken).toEqual([]);
    expect(reads).toBeGreaterThan(10);
    expect(await quantityOf('p-from', 'T')).toBe(45);
    expect(await quantityOf('p-to', 'T')).toBe(5);
    expect(await promiseOf('p-to', 'T')).toEqual({ reserved: 0, incoming: 0, safety_stock: 0 });
    const ledger = await ledgerProblemsIn(
      env.backends,
      new Map([
        ['p-from/T', 0],
        ['p-to/T', 0],
      ]),
    );
    expect(ledger).toEqual([]);
    await countersEqualTable('p-from');
    await countersEqualTable('p-to');
  });

  it("when the events consumer reads a SKU's movements after its promises changed again, then around() says what it promised at each one, alone or in a page", async () => {
    const { updater } = testStockWriters(env);
    const sold = async (delta: number) => (await updater.adjust({ store_id: 'p-around', sku: 'A', delta, reason: 'sale' })).answer.movement;
    const first = (await stock('p-around', 'A', 10)).answer.movement;
    const { answer: hold } = await pod.reservations.create({
      store_id: 'p-around',
      items: [{ sku: 'A', quantity: 6 }],
      expires_in_seconds: 600,
    });
    const sale = await sold(-5);
    await pod.reservations.release(hold.reservation_id);
    const later = await sold(-1);
    const [reserve, release] = (await skuMovements(env.backends.history, 'p-around', 'A')).filter(
      (movement) => movement.reserved_before !== undefined,
    );
    const promised = (reserved: number) => ({ reserved, incoming: 0, safety_stock: 0 });
    // Alone: its SKU's promises changed since (the release, whose record promising nothing is kept), so they come from the SKU's history.
    expect(await records.around([sale])).toEqual([{ before: promised(6), after: promised(6) }]);
    // In a page, oldest first: each from the page or from the record, as the consumer reads them.
    const page = [first, reserve, sale, release, later].filter((movement) => movement !== undefined);
    expect(page.map((movement) => movement.version)).toEqual([...page.map((movement) => movement.version)].sort((a, b) => a - b));
    expect(await records.around(page)).toEqual([
      { before: promised(0), after: promised(0) },
      { before: promised(0), after: promised(6) },
      { before: promised(6), after: promised(6) },
      { before: promised(6), after: promised(0) },
      { before: promised(0), after: promised(0) },
    ]);
  });
});
