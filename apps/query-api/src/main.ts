import { runInventoryService } from '@inventory/service/bootstrap';
import { createApp } from './app';
import { createQueryReaders } from './query-readers';

runInventoryService('query-api', ({ config, logger, metrics, backends, isDraining }) => {
  const readers = createQueryReaders(backends, {
    logger,
    metrics,
    localCacheBytes: config.LOCAL_CACHE_MB * 1024 * 1024,
    localCacheTtlMs: config.CACHE_TTL_SECONDS * 1000,
  });
  return {
    app: createApp({ logger, metrics, ...readers, history: backends.history, readinessChecks: backends.readinessChecks, isDraining }),
  };
});
