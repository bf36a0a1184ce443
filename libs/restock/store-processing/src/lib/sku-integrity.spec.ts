import { createHash } from 'node:crypto';
import { fibonacciValid, integrityHash } from './sku-integrity';

describe('sku integrity stage', () => {
  it('when n is any size, then the Fibonacci check holds (Cassini identity mod 2^32)', () => {
    for (let n = 1; n < 200; n += 1) expect(fibonacciValid(n)).toBe(true);
  });

  it('when a record is checked, then its hash is the SHA-256 of its serialized form', () => {
    const record = { store_id: 'store-1', sku: 'SKU-1001', quantity: 7 };
    expect(integrityHash(record)).toBe(createHash('sha256').update('{"store_id":"store-1","sku":"SKU-1001","quantity":7}').digest('hex'));
  });

  it('when only the quantity differs, then the hash differs', () => {
    expect(integrityHash({ store_id: 's', sku: 'a', quantity: 1 })).not.toBe(integrityHash({ store_id: 's', sku: 'a', quantity: 2 }));
  });
});
