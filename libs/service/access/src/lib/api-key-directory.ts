import type { RedisConnection } from '@inventory/shared/redis';
import type { ApiKeyRecord, ApiKeyRepository } from './api-key.repository';

/** The one thing the directory logs through: a warning with its error. */
export interface WarningLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface ApiKeyDirectoryOptions {
  repository: ApiKeyRepository;
  redis: RedisConnection;
  /** The revocation feed's key: a sorted set of key ids by the instant each was revoked. */
  feedKey: string;
  /** Where a feed that cannot be read is reported (the app's pino logger). */
  logger: WarningLog;
  /** How long a key read from DynamoDB is trusted while the feed is being read. */
  cacheMs?: number;
  /** How often each pod reads the feed. */
  pollMs?: number;
  /** How long a key is trusted without a successful read of the feed (Redis down): the revocation bound. */
  untrustedAfterMs?: number;
  /** Keys cached at most (known and unknown ids): bounds memory against callers inventing key ids. */
  maxEntries?: number;
  /** How often one pod records that a key was used. */
  touchEveryMs?: number;
  now?: () => number;
}

interface Entry {
  record: ApiKeyRecord | undefined;
  fetchedAt: number;
}

/**
 * Every pod's view of the API keys, so that checking a key costs a hash and a map lookup, not a
 * DynamoDB call. A revocation reaches every pod within 5 s (apps/README.md#access-control): the
 * revoking pod writes DynamoDB, then adds the key id to a feed in Redis that every pod reads each
 * second and drops from its cache. While the feed cannot be read (Redis down), a key read more than
 * `untrustedAfterMs` ago is read again, so the bound holds without Redis, at a DynamoDB read per
 * key per that interval.
 */
export class ApiKeyDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly lastTouched = new Map<string, number>();
  private readonly cacheMs: number;
  private readonly untrustedAfterMs: number;
  private readonly maxEntries: number;
  private readonly touchEveryMs: number;
  private readonly now: () => number;
  private feedReadAt = 0;
  private feedCursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(private readonly options: ApiKeyDirectoryOptions) {
    this.cacheMs = options.cacheMs ?? 300_000;
    this.untrustedAfterMs = options.untrustedAfterMs ?? 4_000;
    this.maxEntries = options.maxEntries ?? 200_000;
    this.touchEveryMs = options.touchEveryMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Starts reading the revocation feed every `pollMs` (1 s). */
  start(): void {
    if (this.timer) return;
    this.polling = this.readFeed();
    this.timer = setInterval(() => {
      this.polling = this.readFeed();
    }, this.options.pollMs ?? 1_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  /** The key's record when it exists and is not revoked, from the cache when it can be trusted. */
  async find(keyId: string): Promise<ApiKeyRecord | undefined> {
    const now = this.now();
    let entry = this.entries.get(keyId);
    if (!entry || !this.trusted(entry, now)) {
      entry = { record: await this.options.repository.get(keyId), fetchedAt: now };
      this.remember(keyId, entry);
    }
    const record = entry.record;
    if (!record || record.revoked_at !== null) return undefined;
    this.touch(keyId, now);
    return record;
  }

  /** Marks the key revoked in DynamoDB, then tells every pod through the feed. */
  async revoke(keyId: string): Promise<ReturnType<ApiKeyRepository['revoke']>> {
    const revoked = await this.options.repository.revoke(keyId);
    if (!revoked) return undefined;
    this.entries.delete(keyId);
    const now = this.now();
    // Entries older than a cached key's lifetime can no longer matter to any pod: the feed stays small.
    await this.options.redis
      .multi()
      .zadd(this.options.feedKey, now, keyId)
      .zremrangebyscore(this.options.feedKey, '-inf', now - this.cacheMs)
      .pexpire(this.options.feedKey, this.cacheMs)
      .exec();
    return revoked;
  }

  private trusted(entry: Entry, now: number): boolean {
    const age = now - entry.fetchedAt;
    if (age < this.untrustedAfterMs) return true;
    return age < this.cacheMs && now - this.feedReadAt < this.untrustedAfterMs;
  }

  private remember(keyId: string, entry: Entry): void {
    this.entries.delete(keyId);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(keyId, entry);
  }

  private async readFeed(): Promise<void> {
    const startedAt = this.now();
    try {
      // From a little before the last read: a revocation stamped by a pod whose clock lags is still seen.
      const revoked = await this.options.redis.zrangebyscore(this.options.feedKey, this.feedCursor - 10_000, '+inf', 'WITHSCORES');
      for (let i = 0; i < revoked.length; i += 2) {
        this.entries.delete(revoked[i] as string);
        this.feedCursor = Math.max(this.feedCursor, Number(revoked[i + 1]));
      }
      this.feedReadAt = startedAt;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'API key revocation feed unreadable: keys are read from DynamoDB again');
    }
  }

  /** Records the key's use in DynamoDB at most once per `touchEveryMs` a pod, off the request's path. */
  private touch(keyId: string, now: number): void {
    if (now - (this.lastTouched.get(keyId) ?? 0) < this.touchEveryMs) return;
    this.lastTouched.delete(keyId);
    if (this.lastTouched.size >= this.maxEntries) {
      const oldest = this.lastTouched.keys().next().value;
      if (oldest !== undefined) this.lastTouched.delete(oldest);
    }
    this.lastTouched.set(keyId, now);
    this.options.repository.touch(keyId, new Date(now)).catch((error: unknown) => {
      this.options.logger.warn({ err: error, key_id: keyId }, 'could not record an API key use');
    });
  }
}
