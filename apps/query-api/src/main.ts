import { runInventoryService } from '@inventory/service/bootstrap';
import { StoreInventoryReader } from '@inventory/stock/store-read';
import { createApp } from './app';

runInventoryService('query-api', ({ config, logger, metrics, backends, isDraining }) => {
  const reader = new StoreInventoryReader({
    repository: backends.repository,
    cache: backends.cache,
    logger,
    metrics,
    localCacheBytes: config.LOCAL_CACHE_MB * 1024 * 1024,
    localCacheTtlMs: config.CACHE_TTL_SECONDS * 1000,
  });
  return { app: createApp({ logger, metrics, reader, history: backends.history, readinessChecks: backends.readinessChecks, isDraining }) };
});
