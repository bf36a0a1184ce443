import { closeConnection, waitUntilReady } from '@inventory/shared/redis';
import { connectRedis, createRateLimits, type ServiceContext, type ServiceParts } from '@inventory/service/bootstrap';
import { createPlatformAccess } from '@inventory/service/access';
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
  // The limits' scripts on a connection of their own, as write-api's: off the read path's.
  const limitsConnection = connectRedis(config, 'command', 'query-api-limits');
  const { credentialFailures } = createRateLimits(config, limitsConnection, metrics, logger);
  const access = createPlatformAccess(config, {
    dynamodb: backends.dynamodb,
    dynamodbTimeoutMs: backends.dynamodbTimeoutMs,
    redis: backends.redis,
    logger,
    credentialFailures,
  });
  return {
    app: createApp({
      logger,
      metrics,
      ...readers,
      history: backends.history,
      access: access.access,
      readinessChecks: backends.readinessChecks,
      isDraining,
    }),
    ready: () => {
      access.start();
      return waitUntilReady(limitsConnection, 3_000);
    },
    closeClients: [
      { name: 'access', run: () => access.stop() },
      { name: 'limits connection', run: () => closeConnection(limitsConnection) },
    ],
  };
}
