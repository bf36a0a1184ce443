import type { ItemVersion } from '@inventory/domain/model';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { InventoryCounters, TotalCounters } from '@inventory/stock/counters-and-cache';
import { listStoreIds, type RestockState, type StoreInventoryRepository } from '@inventory/stock/inventory-table';

export interface StoreDrift {
  store_id: string;
  /** SKUs in the table the counters do not hold. */
  missing: number;
  /** SKUs the counters hold that the table does not. */
  extra: number;
  /** SKUs whose counted quantity or version is behind the table's. */
  wrong: number;
  /** The store summary (units, SKUs) differs from the table's sums. */
  summary: boolean;
}

export interface ReconcileReport {
  stores_checked: number;
  skus_checked: number;
  stores_drifted: number;
  /** The first `maxListed` drifted stores in store id order, for the operator to look at. */
  drift: StoreDrift[];
  totals: { counters: TotalCounters; table: TotalCounters; drifted: boolean };
  repaired: boolean;
}

export interface ReconcileOptions {
  repair: boolean;
  /** Stores checked at once. */
  concurrency?: number;
  /** Parallel Scan segments finding the table's stores (DynamoDB scans segments in parallel). */
  scanSegments?: number;
  maxListed?: number;
  onStoreDone?: (storesDone: number, storesTotal: number) => void;
}

function compareStore(
  storeId: string,
  table: Map<string, RestockState>,
  counted: Map<string, Omit<ItemVersion, 'sku'>>,
  summary: { units: number; skus: number },
) {
  const drift: StoreDrift = { store_id: storeId, missing: 0, extra: 0, wrong: 0, summary: false };
  for (const [sku, state] of table) {
    const count = counted.get(sku);
    if (!count) drift.missing += 1;
    // A counter ahead of the table read is an update that landed since: not drift.
    else if (count.version < state.version || (count.version === state.version && count.quantity !== state.quantity)) drift.wrong += 1;
  }
  const extraSkus = [...counted.keys()].filter((sku) => !table.has(sku));
  drift.extra = extraSkus.length;
  drift.summary = summary.units !== unitsOf(table) || summary.skus !== table.size;
  const drifted = drift.missing + drift.extra + drift.wrong > 0 || drift.summary;
  return { drift, drifted, extraSkus };
}

function unitsOf(table: Map<string, RestockState>): number {
  let units = 0;
  for (const state of table.values()) units += state.quantity;
  return units;
}

function itemVersions(table: Map<string, RestockState>): ItemVersion[] {
  return [...table].map(([sku, state]) => ({ sku, version: state.version, quantity: state.quantity }));
}

/**
 * Checks the MemoryDB counters against the table, the source of truth: every store found in either
 * (table Scan + counter keys), each SKU's version and quantity, each store's summary, and the
 * platform totals; with `repair`, sets what differs to the table's values. Exact when writes are
 * quiet; under traffic a store's repair is still atomic with its updates, and newer counter states
 * are kept, but the totals may be off by the updates in flight until the next run.
 */
export async function reconcileCounters(
  backends: { dynamodb: DynamoDBClient; repository: StoreInventoryRepository; counters: InventoryCounters },
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const { repository, counters } = backends;
  const storeIds = [
    ...new Set([
      ...(await listStoreIds(backends.dynamodb, repository.tableName, { segments: options.scanSegments })),
      ...(await counters.countedStoreIds()),
    ]),
  ].sort();
  const sums: TotalCounters = { units: 0, skus: 0, updates: 0, stores: 0 };
  const drift: StoreDrift[] = [];
  let storesDrifted = 0;
  let done = 0;
  let next = 0;

  const checkStore = async (storeId: string) => {
    await counters.settleStore(storeId);
    let table = await repository.listRestockState(storeId);
    const [counted, summary] = await Promise.all([counters.storeItemVersions(storeId), counters.store(storeId)]);
    const compared = compareStore(storeId, table, counted, summary);
    if (compared.drifted) {
      storesDrifted += 1;
      drift.push(compared.drift);
      if (options.repair) {
        // Counted SKUs the table lacked may have been written since: read again before dropping them.
        if (compared.extraSkus.length > 0) table = await repository.listRestockState(storeId);
        await counters.resetStore(
          storeId,
          itemVersions(table),
          compared.extraSkus.filter((sku) => !table.has(sku)),
        );
      }
    }
    // What the totals must be once every store matches the table; `updates` is not in the table,
    // so it is the stores' own counts (a store absent from the table is forgotten by the repair).
    if (table.size === 0) return;
    sums.units += unitsOf(table);
    sums.skus += table.size;
    sums.updates += summary.updates;
    sums.stores += 1;
  };

  const worker = async () => {
    while (next < storeIds.length) {
      const storeId = storeIds[next++] as string;
      await checkStore(storeId);
      options.onStoreDone?.(++done, storeIds.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, storeIds.length)) }, worker));

  const counted = await counters.totals();
  const totalsDrifted = (Object.keys(sums) as (keyof TotalCounters)[]).some((field) => counted[field] !== sums[field]);
  if (totalsDrifted && options.repair) await counters.setTotals(sums);
  // Stores finish in any order; the report lists the first drifted ones by id, the same on every run.
  drift.sort((a, b) => (a.store_id < b.store_id ? -1 : a.store_id > b.store_id ? 1 : 0));
  return {
    stores_checked: storeIds.length,
    skus_checked: sums.skus,
    stores_drifted: storesDrifted,
    drift: drift.slice(0, options.maxListed ?? 100),
    totals: { counters: counted, table: sums, drifted: totalsDrifted },
    repaired: options.repair && (storesDrifted > 0 || totalsDrifted),
  };
}
