import type { RecordedChange } from '@inventory/stock/movements';
import { syncTarget } from './sync-target';

const change = (version: number, kind: 'set' | 'adjust', delta: number, quantityAfter = 0): RecordedChange => ({
  sku: 'A',
  version,
  kind,
  source: 'api',
  delta,
  quantity_after: quantityAfter,
  reference: null,
  sortKey: String(version),
});

describe('syncTarget', () => {
  it('when nothing changed after the count, then the SKU holds the manifest', () => {
    expect(syncTarget(40, [])).toEqual({ quantity: 40, shortfall: 0 });
  });

  it('when sales and receipts came after the count, then they are added to the manifest', () => {
    expect(syncTarget(40, [change(3, 'adjust', -2), change(4, 'adjust', 5), change(5, 'adjust', -1)])).toEqual({
      quantity: 42,
      shortfall: 0,
    });
  });

  it('when a set came after the count, then the last set is the base and only later adjusts count, in version order', () => {
    const changes = [
      change(9, 'adjust', -1),
      change(4, 'adjust', -3),
      change(6, 'set', 11, 20),
      change(8, 'set', -10, 10),
      change(7, 'adjust', 2),
    ];
    expect(syncTarget(40, changes)).toEqual({ quantity: 9, shortfall: 0 });
  });

  it('when the sales exceed the count, then the SKU holds 0 and the shortfall is recorded', () => {
    expect(syncTarget(3, [change(2, 'adjust', -2), change(3, 'adjust', -4)])).toEqual({ quantity: 0, shortfall: 3 });
  });
});
