import type { InventoryBackends } from '@inventory/service/bootstrap';
import type { Logger, Metrics } from '@inventory/shared/observability';
import { createPromiseViews } from '@inventory/stock/promises';
import { SkuReader, StoreDeltaReader, StoreInventoryReader, StoreItems } from '@inventory/stock/store-read';

/** query-api's readers over the backends: whole stores and pages, deltas, single SKUs, reservations and transfers. */
export function createQueryReaders(
  backends: InventoryBackends,
  options: { logger: Logger; metrics: Metrics; localCacheBytes: number; localCacheTtlMs: number },
) {
  const items = new StoreItems(backends.repository, backends.promiseRecords);
  return {
    reader: new StoreInventoryReader({ repository: items, cache: backends.cache, ...options }),
    deltas: new StoreDeltaReader(backends.cache, items),
    skus: new SkuReader(items),
    promises: createPromiseViews(backends.dynamodb, backends.repository.tableName, backends.dynamodbTimeoutMs),
  };
}

export type QueryReaders = ReturnType<typeof createQueryReaders>;
