import type { InventoryBackends } from '@inventory/service/bootstrap';
import type { Logger, Metrics } from '@inventory/shared/observability';
import { SkuReader, StoreDeltaReader, StoreInventoryReader } from '@inventory/stock/store-read';

/** query-api's readers over the backends: whole stores and pages, deltas, single SKUs. */
export function createQueryReaders(
  backends: InventoryBackends,
  options: { logger: Logger; metrics: Metrics; localCacheBytes: number; localCacheTtlMs: number },
) {
  return {
    reader: new StoreInventoryReader({ repository: backends.repository, cache: backends.cache, ...options }),
    deltas: new StoreDeltaReader(backends.cache, backends.repository),
    skus: new SkuReader(backends.repository),
  };
}

export type QueryReaders = ReturnType<typeof createQueryReaders>;
