import type { ServiceContext, ServiceParts } from '@inventory/service/bootstrap';
import { createApp } from './app';
import { createQueryReaders } from './query-readers';

/** query-api's composition root: main.ts runs it, and so does every query-api spec (query-api.testing.ts). */
export function composeQueryApi({ config, logger, metrics, backends, isDraining }: ServiceContext): ServiceParts {
  const readers = createQueryReaders(backends, {
    logger,
    metrics,
    localCacheBytes: config.LOCAL_CACHE_MB * 1024 * 1024,
    localCacheTtlMs: config.CACHE_TTL_SECONDS * 1000,
  });
  return {
    app: createApp({ logger, metrics, ...readers, history: backends.history, readinessChecks: backends.readinessChecks, isDraining }),
  };
}
