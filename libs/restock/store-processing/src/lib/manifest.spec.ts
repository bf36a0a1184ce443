import { baselineQuantity } from '@inventory/domain/model';
import { manifestRecord } from './manifest';

describe('manifestRecord', () => {
  it('when asked twice with the same seed, then the answer is the same', () => {
    expect(manifestRecord(5, 12, 40, 0.2)).toEqual(manifestRecord(5, 12, 40, 0.2));
  });

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
