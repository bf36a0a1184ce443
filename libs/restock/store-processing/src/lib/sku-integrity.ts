import { type SkuRecord, skuRecordContent } from '@inventory/domain/model';

/**
 * Fibonacci validation: F(n) mod 2^32, checked against Cassini's identity
 * F(n-1)·F(n+1) − F(n)² = (−1)^n, which holds in modular arithmetic too.
 */
export function fibonacciValid(n: number): boolean {
  let previous = 0;
  let current = 1;
  for (let i = 1; i < n; i += 1) {
    const next = (previous + current) | 0;
    previous = current;
    current = next;
  }
  const following = (previous + current) | 0;
  const cassini = (Math.imul(previous, following) - Math.imul(current, current)) | 0;
  return cassini === (n % 2 ? -1 : 1);
}

/**
 * The per-SKU integrity stage of the storm, CPU-heavy on purpose as the original was: JSON marshal,
 * SHA-256 of the record, JSON unmarshal and a check that the round trip kept it, a Fibonacci
 * validation. Answers the record's content hash.
 */
export function integrityHash(record: SkuRecord): string {
  const { json, hash } = skuRecordContent(record);
  const parsed = JSON.parse(json) as SkuRecord;
  if (parsed.sku !== record.sku || parsed.quantity !== record.quantity) {
    throw new Error(`integrity: ${record.sku} changed in a JSON round trip`);
  }
  if (!fibonacciValid(20 + (parsed.quantity % 40))) throw new Error(`integrity: Fibonacci check failed for ${record.sku}`);
  return hash;
}
