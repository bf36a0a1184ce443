import { createHash, randomUUID } from 'node:crypto';
import { IdempotencyKeyInUseError } from '@inventory/domain/model';
import type { RedisConnection } from '@inventory/shared/redis';
import type { RedisKeys } from '@inventory/stock/counters-and-cache';
import { type Logger, throttledWarning } from '@inventory/shared/observability';

const RELEASE_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Idempotency keys being applied right now, so a repeat meanwhile answers `409
 * IDEMPOTENCY_KEY_IN_USE` (apps/README.md#idempotency-keys): in this process, and across pods through a Redis key that
 * expires by itself (`holdMs`) if its holder dies. Only a courtesy: what makes a key apply once is
 * its record's conditional put in the write's transaction, so with Redis down a repeat is still
 * never applied twice (it replays instead).
 */
export class InFlightKeys {
  private readonly local = new Set<string>();
  private readonly warnUnavailable?: (context: object) => void;

  constructor(private readonly redis: { connection: RedisConnection; keys: RedisKeys; holdMs: number; logger: Logger } | undefined) {
    if (redis) {
      this.warnUnavailable = throttledWarning(redis.logger, 'idempotency in-flight marks unavailable; the key records still guard writes');
    }
  }

  /** Marks `key` in flight, or refuses with 409; answers the release. */
  async acquire(key: string): Promise<() => Promise<void>> {
    if (this.local.has(key)) throw new IdempotencyKeyInUseError();
    this.local.add(key);
    const releaseShared = await this.acquireShared(key).catch((error: unknown) => {
      this.local.delete(key);
      throw error;
    });
    return async () => {
      this.local.delete(key);
      await releaseShared();
    };
  }

  private async acquireShared(key: string): Promise<() => Promise<void>> {
    if (!this.redis) return async () => undefined;
    const { connection, keys, holdMs } = this.redis;
    const redisKey = keys.idempotencyInFlight(createHash('sha256').update(key).digest('hex'));
    const token = randomUUID();
    let taken: string | null;
    try {
      taken = await connection.set(redisKey, token, 'PX', holdMs, 'NX');
    } catch (error) {
      this.warnUnavailable?.({ err: error });
      return async () => undefined;
    }
    if (taken === null) throw new IdempotencyKeyInUseError();
    return async () => {
      await connection.eval(RELEASE_IF_OURS, 1, redisKey, token).catch(() => undefined);
    };
  }
}
