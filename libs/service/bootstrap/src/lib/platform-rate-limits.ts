import type { Config } from '@inventory/shared/config';
import { createRateLimit, type RateLimit } from '@inventory/shared/http-server';
import type { Logger, Metrics } from '@inventory/shared/observability';
import type { RedisConnection } from '@inventory/shared/redis';

export interface RateLimits {
  /** Per principal (per source address for the anonymous), on stock writes. */
  writes: RateLimit;
  /** Per source, on wrong credentials. */
  credentialFailures: RateLimit;
}

const CREDENTIAL_FAILURE_WINDOW_SECONDS = 15 * 60;

/** The write-side limits as configured, counted on `redis`. */
export function createRateLimits(config: Config, redis: RedisConnection, metrics: Metrics, logger: Logger): RateLimits {
  const common = { redis, keyPrefix: config.REDIS_KEY_PREFIX, trustedProxyHops: config.TRUSTED_PROXY_HOPS, metrics, logger };
  return {
    writes: createRateLimit({
      ...common,
      name: 'writes',
      points: config.RATE_LIMIT_WRITES_PER_MINUTE,
      windowSeconds: 60,
      // A till behind a store's NAT shares its address with the others: count the principal.
      keyOf: (req) => {
        // The principal the route's access guard set (libs/service/access).
        const { principal } = req as { principal?: { kind: string; id: string } };
        return principal && principal.kind !== 'anonymous' ? `${principal.kind}:${principal.id}` : undefined;
      },
    }),
    credentialFailures: createRateLimit({
      ...common,
      name: 'credential-failures',
      points: config.RATE_LIMIT_CREDENTIAL_FAILURES,
      windowSeconds: CREDENTIAL_FAILURE_WINDOW_SECONDS,
    }),
  };
}
