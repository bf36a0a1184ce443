/** Test support for storms, kept out of the lib's main entry point. */
import { storeIdOf } from '@inventory/domain/model';
import type { InventoryCounters } from '@inventory/stock/counters-and-cache';
import type { StoreInventoryRepository } from '@inventory/stock/inventory-table';
import type { StormRecord, StormRecords } from '@inventory/restock/storm';
import { manifestRecord } from './lib/manifest';

export { oneStoreStormJob, oneStoreStormProcessor, runOneStoreStorm } from './lib/one-store-storm.testing';

/** Polls a storm's record every `pollMs` until `done` says so (or throws after `timeoutMs`, showing the last record). */
export async function waitForStorm(
  records: StormRecords,
  stormId: string,
  done: (record: StormRecord) => boolean,
  timeoutMs = 60_000,
  pollMs = 100,
): Promise<StormRecord> {
  const deadline = Date.now() + timeoutMs;
  let record: StormRecord | undefined;
  while (Date.now() < deadline) {
    record = await records.get(stormId);
    if (record && done(record)) return record;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`storm ${stormId} did not get there in ${timeoutMs} ms: ${JSON.stringify(record)}`);
}

export interface StoreMismatch {
  store_id: string;
  problem: string;
}

/**
 * Compares each store's table rows and MemoryDB counters with its manifest; answers what differs
 * (an empty list when table, counters and manifest agree exactly).
 */
export async function storesDifferingFromManifest(
  backends: { repository: StoreInventoryRepository; counters: InventoryCounters },
  parameters: { stores: number; skus_per_store: number; manifest_seed: number; change_ratio: number },
): Promise<StoreMismatch[]> {
  const mismatches: StoreMismatch[] = [];
  for (let storeIndex = 1; storeIndex <= parameters.stores; storeIndex += 1) {
    const storeId = storeIdOf(storeIndex);
    const expected = new Map(
      Array.from({ length: parameters.skus_per_store }, (_, i) => {
        const record = manifestRecord(parameters.manifest_seed, storeIndex, i, parameters.change_ratio);
        return [record.sku, record.quantity] as const;
      }),
    );
    const table = new Map((await backends.repository.listStoreItems(storeId)).map((item) => [item.sku, item.quantity]));
    const counted = await backends.counters.storeQuantities(storeId);
    const summary = await backends.counters.store(storeId);
    const units = [...expected.values()].reduce((sum, quantity) => sum + quantity, 0);
    const differs = (a: Map<string, number>, b: Map<string, number>) =>
      a.size !== b.size || [...a].some(([sku, quantity]) => b.get(sku) !== quantity);
    if (differs(expected, table)) mismatches.push({ store_id: storeId, problem: 'table differs from manifest' });
    if (differs(expected, counted)) mismatches.push({ store_id: storeId, problem: 'per-SKU counters differ from manifest' });
    if (summary.units !== units || summary.skus !== expected.size) {
      mismatches.push({ store_id: storeId, problem: `store counters ${JSON.stringify(summary)}, expected units ${units}` });
    }
  }
  return mismatches;
}
