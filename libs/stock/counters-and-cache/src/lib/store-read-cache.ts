import { defineLuaCommands, type RedisConnection } from '@inventory/shared/redis';
import type { RedisKeys } from './redis-keys';
import { READ_VERSION_SCRIPT } from './read-version';
import { CHANGES_SINCE_SCRIPT } from './store-change-log';

interface ReadVersionCommands {
  readStoreVersion(key: string, ttlSeconds: string): Promise<string>;
  storeChangesSince(version: string, log: string, floor: string, since: string, ttlSeconds: string): Promise<string[]>;
}

/** What changed in a store after a version: its SKUs, or `expired` when the change log cannot tell. */
export type StoreChangesSince = { version: number; skus: string[] } | { version: number; expired: true };

/** A store's read answer as cached: compressed once, with the ETag of its uncompressed JSON. */
export interface CachedStoreAnswer {
  etag: string;
  gzip: Buffer;
}

/**
 * The shared read cache. Answers are keyed by the store's read version, which every change bumps
 * after it is written: a reader that read version N before querying DynamoDB can only cache under
 * N, so an answer that missed a change is never served after that change's bump.
 */
export class StoreReadCache {
  private readonly commands: ReadVersionCommands;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly ttlSeconds: number,
  ) {
    this.commands = defineLuaCommands<ReadVersionCommands>(redis, {
      readStoreVersion: { numberOfKeys: 1, lua: READ_VERSION_SCRIPT },
      storeChangesSince: { numberOfKeys: 3, lua: CHANGES_SINCE_SCRIPT },
    });
  }

  /** The store's read version, started for the cache's lifetime (read-version.ts) if this Redis has none yet. */
  async currentVersion(storeId: string): Promise<number> {
    const key = this.keys.readVersion(storeId);
    // A plain GET on every read; the script only for a version this Redis has never had.
    return Number((await this.redis.get(key)) ?? (await this.commands.readStoreVersion(key, String(this.ttlSeconds))));
  }

  /** The store's version and the SKUs changed after `since`, read atomically (counters write the log). */
  async changesSince(storeId: string, since: number): Promise<StoreChangesSince> {
    const [version = '0', status, ...skus] = await this.commands.storeChangesSince(
      this.keys.readVersion(storeId),
      this.keys.storeChanges(storeId),
      this.keys.storeChangesFloor(storeId),
      String(since),
      String(this.ttlSeconds),
    );
    return status === 'ok' ? { version: Number(version), skus } : { version: Number(version), expired: true };
  }

  async get(storeId: string, version: number): Promise<CachedStoreAnswer | undefined> {
    const [etag, gzip] = await this.redis.hmgetBuffer(this.keys.readCache(storeId, version), 'etag', 'gzip');
    return etag && gzip ? { etag: etag.toString(), gzip } : undefined;
  }

  async put(storeId: string, version: number, answer: CachedStoreAnswer): Promise<void> {
    const key = this.keys.readCache(storeId, version);
    await this.redis.multi().hset(key, 'etag', answer.etag, 'gzip', answer.gzip).expire(key, this.ttlSeconds).exec();
  }
}
