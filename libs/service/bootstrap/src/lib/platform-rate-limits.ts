import type { Config } from '@inventory/shared/config';
import { createRateLimit, type RateLimit } from '@inventory/shared/http-server';
import type { Logger, Metrics } from '@inventory/shared/observability';
import type { RedisConnection } from '@inventory/shared/redis';

export interface RateLimits {
  /** Per client, on stock writes. */
  writes: RateLimit;
  /** Per source, on wrong operator credentials. */
  operatorFailures: RateLimit;
}

const OPERATOR_FAILURE_WINDOW_SECONDS = 15 * 60;

/** The write-side limits as configured, counted on `redis`. */
export function createRateLimits(config: Config, redis: RedisConnection, metrics: Metrics, logger: Logger): RateLimits {
  const common = { redis, keyPrefix: config.REDIS_KEY_PREFIX, trustedProxyHops: config.TRUSTED_PROXY_HOPS, metrics, logger };
  return {
    writes: createRateLimit({ ...common, name: 'writes', points: config.RATE_LIMIT_WRITES_PER_MINUTE, windowSeconds: 60 }),
    operatorFailures: createRateLimit({
      ...common,
      name: 'operator-failures',
      points: config.RATE_LIMIT_OPERATOR_FAILURES,
      windowSeconds: OPERATOR_FAILURE_WINDOW_SECONDS,
    }),
  };
}
