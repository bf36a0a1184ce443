import type { IncomingMessage } from 'node:http';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '@inventory/domain/model';
import type { RedisConnection } from '@inventory/shared/redis';
import { type Logger, type Metrics, throttledWarning } from '@inventory/shared/observability';
import type { Middleware } from './middleware';

export interface RateLimitOptions {
  /** Names the limit in keys, metrics and logs (`writes`, `operator-failures`). */
  name: string;
  redis: RedisConnection;
  keyPrefix: string;
  /** Requests a source may make per window; 0 turns the limit off. */
  points: number;
  windowSeconds: number;
  /** Proxies in front of us that append to `X-Forwarded-For` (the ALB: 1); 0 trusts none. */
  trustedProxyHops: number;
  /** Whom a request counts against when not its source address (an authenticated principal); undefined: the address. */
  keyOf?: (req: IncomingMessage) => string | undefined;
  metrics: Metrics;
  logger: Logger;
}

export interface RateLimit {
  /** Rejects with 429 when the request's source has no points left; takes none. */
  check(req: IncomingMessage): Promise<void>;
  /** Takes one point of the request's source; rejects with 429 when none were left. */
  consume(req: IncomingMessage): Promise<void>;
  /** `consume` as middleware. */
  middleware: Middleware;
}

/**
 * The caller's address as the nearest trusted proxy saw it: with `hops` proxies each appending the
 * address it received from, the `hops`-th entry from the end of `X-Forwarded-For` (entries before it
 * are the caller's own word); with none, the socket's peer.
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (hops > 0 && forwarded) {
    const entries = String(forwarded)
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const entry = entries[Math.max(0, entries.length - hops)];
    if (entry) return entry;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * A per-source request limit counted in Redis (rate-limiter-flexible), so every pod shares one
 * count. Redis being down never blocks a request: the limit fails open, counted in
 * `inventory_rate_limit_fail_open_total`.
 */
export function createRateLimit(options: RateLimitOptions): RateLimit {
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.keyPrefix}:ratelimit:${options.name}`,
    points: Math.max(1, options.points),
    duration: options.windowSeconds,
    // Fail at once while Redis is unreachable instead of queueing behind reconnects.
    rejectIfRedisNotReady: true,
  });
  const labels = { limit: options.name };
  const warnUnavailable = throttledWarning(options.logger, 'rate limit unavailable: letting requests through');
  const refused = (res: RateLimiterRes): TooManyRequestsError => {
    options.metrics.count('RateLimited', 1, labels);
    return new TooManyRequestsError(`too many requests (${options.name}); retry later`, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
  };
  const failOpen = (error: unknown) => {
    options.metrics.count('RateLimitFailOpen', 1, labels);
    warnUnavailable({ err: error, limit: options.name });
  };
  const keyOf = (req: IncomingMessage) => options.keyOf?.(req) ?? clientAddress(req, options.trustedProxyHops);

  const check = async (req: IncomingMessage) => {
    if (options.points === 0) return;
    let res: RateLimiterRes | null;
    try {
      res = await limiter.get(keyOf(req));
    } catch (error) {
      return failOpen(error);
    }
    if (res && res.consumedPoints >= options.points) throw refused(res);
  };
  const consume = async (req: IncomingMessage) => {
    if (options.points === 0) return;
    try {
      await limiter.consume(keyOf(req));
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) throw refused(outcome);
      failOpen(outcome);
    }
  };
  return {
    check,
    consume,
    middleware: (req, _res, next) => {
      consume(req).then(() => next(), next);
    },
  };
}
