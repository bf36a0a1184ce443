import { AppError } from '@inventory/domain/model';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { ledgerProblemsIn, skuMovements } from '@inventory/stock/movements/testing';
import { retriedWhileContended, testStockWriters } from '../testing';
import type { InventoryUpdater } from './inventory-updater';

/** What a refused write threw: its code and the stored item it was decided on. */
async function refusal(write: Promise<unknown>): Promise<{ code: string; current?: unknown }> {
  try {
    await write;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, current: error.extra['current'] };
    throw error;
  }
  throw new Error('the write applied');
}

describe('the stock writer (InventoryUpdater): compare-and-swap, never below zero, idempotency keys', () => {
  let env: InventoryTestEnvironment;
  let updater: InventoryUpdater;
  /** A second writer over the same table and Redis: another pod's lanes, racing the first for real. */
  let otherPod: InventoryUpdater;

  const quantityOf = async (storeId: string, sku: string) => (await env.backends.writes.readState(storeId, sku)).quantity;
  const movementsOf = (storeId: string, sku: string) => skuMovements(env.backends.history, storeId, sku);

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    updater = testStockWriters(env).updater;
    otherPod = testStockWriters(env).updater;
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('when 200 one-unit sales from two pods race for 100 units, then exactly 100 apply, each refusal saw 0, and the sales chain one unit at a time', async () => {
    await updater.update({ store_id: 'up-race', sku: 'HOT', quantity: 100 });

    // A sale that keeps losing its compare-and-swap to the other pod's queue is answered WRITE_CONTENDED: retried, as a till does.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        retriedWhileContended(() => (i % 2 ? otherPod : updater).adjust({ store_id: 'up-race', sku: 'HOT', delta: -1, reason: 'sale' })),
      ),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(100);
    for (const outcome of outcomes.filter((candidate) => candidate.status === 'rejected')) {
      expect(outcome.reason).toMatchObject({ code: 'INSUFFICIENT_STOCK', extra: { current: { sku: 'HOT', quantity: 0 } } });
    }
    expect(await quantityOf('up-race', 'HOT')).toBe(0);
    const sales = (await movementsOf('up-race', 'HOT')).filter((movement) => movement.reason === 'sale');
    expect(sales.map((movement) => [movement.quantity_before, movement.quantity_after, movement.version])).toEqual(
      Array.from({ length: 100 }, (_, i) => [100 - i, 99 - i, i + 2]),
    );
    expect(await env.backends.counters.store('up-race')).toEqual({ units: 0, skus: 1, updates: 101 });
    expect(await ledgerProblemsIn(env.backends, new Map([['up-race/HOT', 0]]))).toEqual([]);
  });

  it('when change_from_quantity does not match, then STALE_QUANTITY carries the stored item and nothing changes; when it matches, it applies', async () => {
    await updater.update({ store_id: 'up-cas', sku: 'A', quantity: 5 });

    const stale = await refusal(updater.update({ store_id: 'up-cas', sku: 'A', quantity: 9, change_from_quantity: 4 }));
    const matching = await updater.update({ store_id: 'up-cas', sku: 'A', quantity: 9, change_from_quantity: 5 });
    const unknownHoldsZero = await updater.update({ store_id: 'up-cas', sku: 'NEW', quantity: 3, change_from_quantity: 0 });

    expect(stale).toEqual({ code: 'STALE_QUANTITY', current: expect.objectContaining({ sku: 'A', quantity: 5, version: 1 }) });
    expect(matching.answer.movement).toMatchObject({ delta: 4, quantity_before: 5, quantity_after: 9, version: 2 });
    expect(unknownHoldsZero.answer.quantity).toBe(3);
    expect((await movementsOf('up-cas', 'A')).map((movement) => movement.quantity_after)).toEqual([5, 9]);
  });

  it('when an adjust would go below 0 or past the int32 limit, then it is refused and neither the item nor its history changes', async () => {
    await updater.update({ store_id: 'up-limit', sku: 'A', quantity: 2_147_483_000 });
    await updater.update({ store_id: 'up-limit', sku: 'B', quantity: 2 });

    const over = await refusal(updater.adjust({ store_id: 'up-limit', sku: 'A', delta: 1_000 }));
    const under = await refusal(updater.adjust({ store_id: 'up-limit', sku: 'B', delta: -3 }));
    const unknown = await refusal(updater.adjust({ store_id: 'up-limit', sku: 'UNKNOWN', delta: -1 }));

    expect(over.code).toBe('QUANTITY_OVER_LIMIT');
    expect(under).toEqual({ code: 'INSUFFICIENT_STOCK', current: expect.objectContaining({ sku: 'B', quantity: 2 }) });
    expect(unknown).toEqual({ code: 'INSUFFICIENT_STOCK', current: expect.objectContaining({ sku: 'UNKNOWN', quantity: 0, version: 0 }) });
    expect([await quantityOf('up-limit', 'A'), await quantityOf('up-limit', 'B')]).toEqual([2_147_483_000, 2]);
    expect((await movementsOf('up-limit', 'B')).length + (await movementsOf('up-limit', 'UNKNOWN')).length).toBe(1);
  });

  describe('idempotency keys', () => {
    it('when one keyed sale is sent 20 times at once to two pods, then it applies once and every other answer is its replay or IDEMPOTENCY_KEY_IN_USE', async () => {
      await updater.update({ store_id: 'up-idem', sku: 'A', quantity: 50 });
      const sale = { store_id: 'up-idem', sku: 'A', delta: -3, reason: 'sale' as const };

      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? otherPod : updater).adjust(sale, { idempotencyKey: 'up-idem-key-1' })),
      );

      const applied = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' && !outcome.value.replayed ? [outcome.value] : []));
      expect(applied).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
        else if (outcome.value !== applied[0]) expect(outcome.value).toEqual({ answer: applied[0]?.answer, replayed: true });
      }
      expect(await updater.adjust(sale, { idempotencyKey: 'up-idem-key-1' })).toEqual({ answer: applied[0]?.answer, replayed: true });
      expect(await quantityOf('up-idem', 'A')).toBe(47);
      expect(await movementsOf('up-idem', 'A')).toHaveLength(2);
      expect(await ledgerProblemsIn(env.backends, new Map([['up-idem/A', 0]]))).toEqual([]);
    });

    it('when a new writer (a restarted pod) gets a used key, then it replays the first answer; with another request, IDEMPOTENCY_KEY_REUSED and nothing changes', async () => {
      const first = await updater.update({ store_id: 'up-idem', sku: 'B', quantity: 8 }, { idempotencyKey: 'up-idem-key-2' });
      const restarted = testStockWriters(env).updater;

      const repeat = await restarted.update({ store_id: 'up-idem', sku: 'B', quantity: 8 }, { idempotencyKey: 'up-idem-key-2' });
      const reused = await refusal(restarted.update({ store_id: 'up-idem', sku: 'B', quantity: 9 }, { idempotencyKey: 'up-idem-key-2' }));
      const otherKind = await refusal(restarted.adjust({ store_id: 'up-idem', sku: 'B', delta: 8 }, { idempotencyKey: 'up-idem-key-2' }));

      expect(repeat).toEqual({ answer: first.answer, replayed: true });
      expect([reused.code, otherKind.code]).toEqual(['IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_REUSED']);
      expect(await quantityOf('up-idem', 'B')).toBe(8);
      expect(await movementsOf('up-idem', 'B')).toHaveLength(1);
    });

    it('when a keyed adjust is refused, then the key is not consumed: the same request applies once stock is there', async () => {
      const refused = await refusal(updater.adjust({ store_id: 'up-idem', sku: 'C', delta: -1 }, { idempotencyKey: 'up-idem-key-3' }));
      await updater.update({ store_id: 'up-idem', sku: 'C', quantity: 1 });
      const retried = await updater.adjust({ store_id: 'up-idem', sku: 'C', delta: -1 }, { idempotencyKey: 'up-idem-key-3' });

      expect(refused.code).toBe('INSUFFICIENT_STOCK');
      expect(retried).toMatchObject({ replayed: false, answer: { quantity: 0, movement: { idempotency_key: 'up-idem-key-3' } } });
      expect(await quantityOf('up-idem', 'C')).toBe(0);
      // The store's ledger after every keyed write above: no key applied twice, each SKU chained.
      const skus = ['A', 'B', 'C'].map((sku): [string, number] => [`up-idem/${sku}`, 0]);
      expect(await ledgerProblemsIn(env.backends, new Map(skus))).toEqual([]);
    });
  });
});
