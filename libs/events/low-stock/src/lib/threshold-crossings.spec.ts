import type { StockMovement } from '@inventory/domain/model';
import { stockEventsOf, thresholdCrossings } from './threshold-crossings';

const movement = (before: number, after: number): StockMovement => ({
  movement_id: 'm-1',
  store_id: 'store-1',
  sku: 'SKU-1',
  delta: after - before,
  quantity_before: before,
  quantity_after: after,
  version: 7,
  reason: 'sale',
  source: 'api',
  reference: null,
  actor: 'anonymous',
  on_behalf_of: null,
  idempotency_key: null,
  request_id: null,
  at: '2026-12-03T10:00:00.000Z',
});

describe('threshold crossings', () => {
  it.each([
    [10, 6, []],
    [10, 5, ['stock.low']],
    [6, 3, ['stock.low']],
    [5, 4, []],
    [3, 0, ['stock.out']],
    [10, 0, ['stock.low', 'stock.out']],
    [0, 5, []],
    [0, 6, ['stock.restored']],
    [5, 6, ['stock.restored']],
    [6, 60, []],
  ])('when the quantity goes from %i to %i with the threshold at 5, then it crosses %j', (before, after, expected) => {
    expect(thresholdCrossings(before, after, 5)).toEqual(expected);
  });

  it('when the threshold is 0, then only the fall to 0 and the way back are crossings', () => {
    expect(thresholdCrossings(1, 0, 0)).toEqual(['stock.low', 'stock.out']);
    expect(thresholdCrossings(0, 1, 0)).toEqual(['stock.restored']);
    expect(thresholdCrossings(2, 1, 0)).toEqual([]);
  });
});

describe('the events of a movement', () => {
  it('when the SKU has no threshold, then the movement is the only event, its id the movement id', () => {
    expect(stockEventsOf(movement(10, 0), undefined)).toEqual([
      expect.objectContaining({ event_id: 'm-1', type: 'stock.movement', version: 7, quantity: 0 }),
    ]);
  });

  it('when a movement crosses the threshold, then each crossing follows the movement with an id derived from it', () => {
    const events = stockEventsOf(movement(10, 0), 5);
    expect(events.map((event) => [event.event_id, event.type, event.low_stock_at])).toEqual([
      ['m-1', 'stock.movement', undefined],
      ['m-1.stock.low', 'stock.low', 5],
      ['m-1.stock.out', 'stock.out', 5],
    ]);
  });

  it.each([
    [{ reason: 'reserve' as const, delta: 0 }, 'stock.reserved'],
    [{ reason: 'release' as const, delta: 0 }, 'stock.released'],
    [{ reason: 'expire' as const, delta: 0 }, 'stock.released'],
    [{ reason: 'sale' as const, delta: -2, reservation_id: 'r' }, undefined],
    [{ reason: 'transfer_out' as const, delta: -5, transfer_id: 't' }, 'stock.transfer_shipped'],
    [{ reason: 'transfer_in' as const, delta: 0, transfer_id: 't', incoming_before: 0, incoming_after: 5 }, undefined],
    [{ reason: 'transfer_in' as const, delta: 2, transfer_id: 't', incoming_before: 5, incoming_after: 3 }, 'stock.transfer_received'],
    [{ reason: 'transfer_in' as const, delta: 3, transfer_id: 't', incoming_before: 0, incoming_after: 0 }, undefined],
    [{ reason: 'transfer_in' as const, delta: 3 }, undefined],
  ])('when a movement is %j, then its promise event is %s, after the movement event and before any crossing', (fields, expected) => {
    const events = stockEventsOf({ ...movement(10, 10 + fields.delta), ...fields }, 9);
    expect(events.map((event) => event.type)).toEqual([
      'stock.movement',
      ...(expected ? [expected] : []),
      ...(fields.delta < -1 ? ['stock.low'] : []),
    ]);
    expect(new Set(events.map((event) => event.event_id)).size).toBe(events.length);
  });

  const promised = (reserved: number, safety_stock = 0) => ({ reserved, incoming: 0, safety_stock });

  it('when units are reserved, then thresholds are crossed by available, not on hand, and each event says what is available', () => {
    // 10 on hand, 4 reserved, 1 safety stock: a sale of 1 takes available from 5 to 4, under a threshold of 4 at 10 → 9 on hand.
    const sale = stockEventsOf(movement(10, 9), 4, { before: promised(4, 1), after: promised(4, 1) });
    expect(sale.map((event) => [event.type, event.quantity, event.available])).toEqual([
      ['stock.movement', 9, 4],
      ['stock.low', 9, 4],
    ]);
    // A hold of the last 4 available units: on hand unchanged, available 4 → 0 crosses out; its release restores.
    const hold = { ...movement(9, 9), reason: 'reserve' as const, delta: 0 };
    expect(stockEventsOf(hold, 4, { before: promised(4, 1), after: promised(8, 1) }).map((event) => event.type)).toEqual([
      'stock.movement',
      'stock.reserved',
      'stock.out',
    ]);
    const release = { ...movement(9, 9), reason: 'release' as const, delta: 0 };
    expect(stockEventsOf(release, 4, { before: promised(8, 1), after: promised(3, 1) }).map((event) => event.type)).toEqual([
      'stock.movement',
      'stock.released',
      'stock.restored',
    ]);
  });

  it.each([
    [5, 4, 5, 5, 1],
    [5, 3, 5, 5, 2],
    [4, 3, 5, 5, undefined],
    [5, 5, 5, 4, undefined],
    [6, 4, 5, 5, 1],
    [10, 4, 5, 0, undefined],
  ])(
    'when on hand goes from %i to %i with %i reserved before and %i after, then stock.promise_at_risk says %s units are at risk, once per crossing',
    (before, after, reservedBefore, reservedAfter, atRisk) => {
      const events = stockEventsOf(movement(before, after), undefined, {
        before: promised(reservedBefore),
        after: promised(reservedAfter),
      });
      const risk = events.filter((event) => event.type === 'stock.promise_at_risk');
      expect(risk.map((event) => [event.event_id, event.promised_at_risk])).toEqual(
        atRisk === undefined ? [] : [['m-1.stock.promise_at_risk', atRisk]],
      );
    },
  );
});
