import { StockConflictError } from './app-error';
import { MAX_QUANTITY } from './inventory-item';
import { applyChange, type SkuState } from './stock-change';

const stored = (quantity: number, version = 3): SkuState => ({
  store_id: 's',
  sku: 'A',
  quantity,
  version,
  updated_at: '2026-12-01T00:00:00Z',
});

function refusal(run: () => unknown): StockConflictError {
  try {
    run();
  } catch (error) {
    if (error instanceof StockConflictError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('applyChange', () => {
  it('when a set has no compare-and-swap, then it leaves its quantity whatever is stored', () => {
    expect(applyChange(stored(7), { kind: 'set', quantity: 2 })).toBe(2);
    expect(applyChange(stored(7), { kind: 'set', quantity: 2, change_from_quantity: null })).toBe(2);
  });

  it('when change_from_quantity differs from the stored quantity, then 409 STALE_QUANTITY carries the stored item', () => {
    const error = refusal(() => applyChange(stored(7), { kind: 'set', quantity: 2, change_from_quantity: 6 }));
    expect(error).toMatchObject({ status: 409, code: 'STALE_QUANTITY', extra: { current: { quantity: 7, version: 3 } } });
    expect(applyChange(stored(7), { kind: 'set', quantity: 2, change_from_quantity: 7 })).toBe(2);
  });

  it('when a SKU is unknown, then it holds 0 for a compare-and-swap and for a delta', () => {
    const unknown: SkuState = { store_id: 's', sku: 'N', quantity: 0, version: 0 };
    expect(applyChange(unknown, { kind: 'set', quantity: 4, change_from_quantity: 0 })).toBe(4);
    expect(applyChange(unknown, { kind: 'adjust', delta: 5 })).toBe(5);
    expect(refusal(() => applyChange(unknown, { kind: 'adjust', delta: -1 })).extra).toEqual({
      current: { store_id: 's', sku: 'N', quantity: 0, updated_at: null, version: 0 },
    });
  });

  it('when a delta would leave less than 0 or more than the int32 limit, then it is refused with its code', () => {
    expect(applyChange(stored(3), { kind: 'adjust', delta: -3 })).toBe(0);
    expect(refusal(() => applyChange(stored(3), { kind: 'adjust', delta: -4 })).code).toBe('INSUFFICIENT_STOCK');
    expect(applyChange(stored(MAX_QUANTITY - 1), { kind: 'adjust', delta: 1 })).toBe(MAX_QUANTITY);
    expect(refusal(() => applyChange(stored(MAX_QUANTITY - 1), { kind: 'adjust', delta: 2 })).code).toBe('QUANTITY_OVER_LIMIT');
  });
});
