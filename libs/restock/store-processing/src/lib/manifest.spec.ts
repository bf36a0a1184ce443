import { baselineQuantity } from '@inventory/domain/model';
import { manifestRecord } from './manifest';

describe('manifestRecord', () => {
  // Pinned, hand-picked: a retried job on another pod (another version, mid-rollout) must compute
  // the very records the first attempt wrote, or the storm would write a store twice differently.
  it.each([
    [5, 12, 40, 0.2, { store_id: 'store-12', sku: 'SKU-1041', quantity: 188 }],
    [4242, 1, 0, 0.3, { store_id: 'store-1', sku: 'SKU-1001', quantity: 419 }],
    [77, 40, 999, 0.3, { store_id: 'store-40', sku: 'SKU-2000', quantity: 31 }],
    [9, 3, 7, 1, { store_id: 'store-3', sku: 'SKU-1008', quantity: 947 }],
  ])(
    'when seed %i, store %i, SKU index %i at change ratio %d is asked for, then it is the record every worker computes',
    (seed, store, sku, ratio, record) => {
      expect(manifestRecord(seed, store, sku, ratio)).toEqual(record);
    },
  );

  it('when the change ratio is 0, then the manifest is the baseline assortment', () => {
    for (let sku = 0; sku < 200; sku += 1) expect(manifestRecord(5, 3, sku, 0).quantity).toBe(baselineQuantity(3, sku));
  });

  it('when the change ratio is 0.2, then about a fifth of the SKUs differ from the baseline', () => {
    let changed = 0;
    for (let sku = 0; sku < 5_000; sku += 1) if (manifestRecord(11, 7, sku, 0.2).quantity !== baselineQuantity(7, sku)) changed += 1;
    expect(changed / 5_000).toBeGreaterThan(0.17);
    expect(changed / 5_000).toBeLessThan(0.23);
  });

  it('when the seed changes, then the changed SKUs change', () => {
    const changedSkus = (seed: number) =>
      Array.from({ length: 500 }, (_, sku) => sku).filter((sku) => manifestRecord(seed, 1, sku, 0.2).quantity !== baselineQuantity(1, sku));
    expect(changedSkus(1)).not.toEqual(changedSkus(2));
  });
});
