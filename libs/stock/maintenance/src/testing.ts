import { demoAssortment } from './lib/inventory-seeder';

/**
 * What the ledger oracle (stock/movements/testing) expects of a table seeded with the demo
 * assortment: every `store/sku` seeded, each starting from its seeded quantity (seeding records no
 * movement).
 */
export function seededLedger(stores: number, skusPerStore: number): Map<string, number> {
  const expected = new Map<string, number>();
  for (let store = 1; store <= stores; store += 1) {
    for (const item of demoAssortment(store, skusPerStore, '')) expected.set(`${item.store_id}/${item.sku}`, item.quantity);
  }
  return expected;
}
