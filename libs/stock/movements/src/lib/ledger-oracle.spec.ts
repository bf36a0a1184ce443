import type { StockMovement } from '@inventory/domain/model';
import { type LedgerState, ledgerProblems } from './ledger-oracle.testing';

let ids = 0;
function movement(sku: string, version: number, before: number, after: number, extra: Partial<StockMovement> = {}): StockMovement {
  ids += 1;
  return {
    movement_id: `m-${ids}`,
    store_id: 's1',
    sku,
    delta: after - before,
    quantity_before: before,
    quantity_after: after,
    version,
    reason: 'sale',
    source: 'api',
    reference: null,
    actor: 'till',
    on_behalf_of: null,
    idempotency_key: null,
    request_id: null,
    at: '2026-12-05T00:00:00.000Z',
    ...extra,
  };
}

/** A store whose A was seeded at 10 and sold twice, and whose B was created by its first write. */
function soundLedger(): LedgerState {
  return {
    items: [
      { store_id: 's1', sku: 'A', quantity: 7 },
      { store_id: 's1', sku: 'B', quantity: 4 },
    ],
    movements: [movement('A', 3, 9, 7), movement('B', 1, 0, 4), movement('A', 2, 10, 9, { idempotency_key: 'k1' })],
  };
}
const expected = new Map([
  ['s1/A', 10],
  ['s1/B', 0],
]);

describe('the ledger oracle', () => {
  it('when every SKU chains from its initial quantity to what the table holds, then it finds nothing', () => {
    expect(ledgerProblems(soundLedger(), expected)).toEqual([]);
  });

  it('when a movement starts from a quantity the one before did not end at (a broken chain), then it names the SKU and version', () => {
    const ledger = soundLedger();
    ledger.movements[0] = movement('A', 3, 10, 8);
    ledger.items[0] = { store_id: 's1', sku: 'A', quantity: 8 };
    expect(ledgerProblems(ledger, expected)).toEqual(['s1/A v3: starts from 10, the one before ended at 9']);
  });

  it("when the first movement does not start from the SKU's known initial quantity, then it says so", () => {
    expect(ledgerProblems(soundLedger(), new Map([...expected, ['s1/B', 1]]))).toEqual([
      's1/B v1: starts from 0, the one before ended at 1',
    ]);
  });

  it('when a movement is recorded twice (the same id), then it names the double, and the chain breaks at its version too', () => {
    const ledger = soundLedger();
    const sale = ledger.movements[0] as StockMovement;
    ledger.movements.push({ ...sale });
    expect(ledgerProblems(ledger, expected)).toEqual([
      `s1/A: movement ${sale.movement_id} recorded twice`,
      's1/A v3: two movements at one version',
      's1/A v3: starts from 9, the one before ended at 7',
    ]);
  });

  it('when one idempotency key applied twice to a SKU (two movements, two ids), then it names the key', () => {
    const ledger = soundLedger();
    ledger.movements.push(movement('A', 4, 7, 5, { idempotency_key: 'k1' }));
    ledger.items[0] = { store_id: 's1', sku: 'A', quantity: 5 };
    expect(ledgerProblems(ledger, expected)).toEqual(['s1/A v4: idempotency key k1 applied twice']);
  });

  it("when a movement's delta is not after − before, then it says which", () => {
    const ledger = soundLedger();
    ledger.movements[1] = { ...movement('B', 1, 0, 4), delta: 5 };
    expect(ledgerProblems(ledger, expected)).toEqual(['s1/B v1: 0 + 5 is not 4']);
  });

  it("when the table holds another quantity than the ledger's end (a change without its movement), then it names both", () => {
    const ledger = soundLedger();
    ledger.items[1] = { store_id: 's1', sku: 'B', quantity: 3 };
    expect(ledgerProblems(ledger, expected)).toEqual(['s1/B: holds 3, its ledger ends at 4']);
  });

  it('when an expected SKU is missing from the table, or one not expected is there, then both are named', () => {
    const ledger = soundLedger();
    ledger.items.pop();
    ledger.items.push({ store_id: 's1', sku: 'C', quantity: 0 });
    expect(ledgerProblems(ledger, expected)).toEqual(['s1/B: missing from the table', 's1/C: in the table, not expected']);
  });

  it('when movements exist for a SKU not expected, then they are named, not ignored', () => {
    const ledger = soundLedger();
    ledger.movements.push(movement('Z', 1, 0, 1));
    expect(ledgerProblems(ledger, expected)).toEqual(['s1/Z: movements of a SKU not expected']);
  });
});
