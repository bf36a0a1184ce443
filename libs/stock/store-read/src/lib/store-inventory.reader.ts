import { LRUCache } from 'lru-cache';
import type { StoreReadCache } from '@inventory/stock/counters-and-cache';
import { type Logger, type Metrics, throttledWarning } from '@inventory/shared/observability';
import { inflateStoreAnswer, serializeStoreAnswer, type StoreAnswer } from './store-answer';
import { decodeStorePageCursor, encodeStorePageCursor } from './store-page-cursor';
import type { StoreItems } from './store-items';

/** `hit`: from a cache; `miss`: read from DynamoDB and cached; `bypass`: Redis unreachable, read from DynamoDB. */
export type CacheOutcome = 'hit' | 'miss' | 'bypass';

export interface StoreRead extends StoreAnswer {
  cache: CacheOutcome;
  /** The store's read version the answer holds (`X-Store-Version`); unknown while Redis is unreachable. */
  version?: number;
}

/** One page of a store (apps/README.md#http-contract): the same array's items in SKU order, and where the next begins. */
export interface StorePageRead extends StoreRead {
  next_cursor?: string;
}

export interface StoreInventoryReaderOptions {
  repository: StoreItems;
  cache: StoreReadCache;
  logger: Logger;
  metrics: Metrics;
  /** Bytes of answers kept in this process; 0 turns the process tier off. */
  localCacheBytes: number;
  localCacheTtlMs: number;
}

/**
 * Cache-aside reads of a whole store. Each read asks Redis for the store's read version (a few
 * bytes); the answer for that version comes from this process's memory, else from Redis, else from
 * DynamoDB, and is then cached in both. Since versions only grow, a cached answer is never served
 * after a change, and the 450 KB body never crosses the network twice for one version in one pod.
 */
export class StoreInventoryReader {
  private readonly local?: LRUCache<string, StoreAnswer & { next_cursor?: string }>;
  /** Concurrent misses of one version share one DynamoDB query. */
  private readonly inFlight = new Map<string, Promise<StoreRead>>();
  private readonly warnRedis: (context: object) => void;

  constructor(private readonly options: StoreInventoryReaderOptions) {
    this.warnRedis = throttledWarning(options.logger, 'Redis unavailable: reading stores from DynamoDB without cache');
    if (options.localCacheBytes > 0) {
      this.local = new LRUCache<string, StoreAnswer & { next_cursor?: string }>({
        maxSize: options.localCacheBytes,
        sizeCalculation: (answer) => answer.identity.length + answer.gzip.length,
        ttl: options.localCacheTtlMs,
      });
    }
  }

  /**
   * `cancellation` gives a signal that aborts an uncached read when its caller goes away; asked for
   * only on that path, since cached reads never need one. Shared fills run to the end for the others.
   */
  async read(storeId: string, cancellation?: () => AbortSignal): Promise<StoreRead> {
    const { metrics } = this.options;
    const started = performance.now();
    try {
      const answer = await this.readThroughCaches(storeId, cancellation);
      metrics.timing('QueryDuration', performance.now() - started);
      metrics.count(answer.cache === 'hit' ? 'CacheHit' : 'CacheMiss');
      return answer;
    } catch (error) {
      // A caller who hung up is not a failed query.
      if ((error as Error).name !== 'AbortError') metrics.count('QueryError');
      throw error;
    }
  }

  private async readThroughCaches(storeId: string, cancellation?: () => AbortSignal): Promise<StoreRead> {
    const version = await this.versionOf(storeId);
    if (version === undefined) {
      const answer = await serializeStoreAnswer(await this.options.repository.listStoreItems(storeId, cancellation?.()));
      return { ...answer, cache: 'bypass' };
    }

    const key = `${storeId}@${version}`;
    const local = this.local?.get(key);
    if (local) return { ...local, cache: 'hit', version };

    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fill(storeId, version, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async fill(storeId: string, version: number, key: string): Promise<StoreRead> {
    const { cache, repository, logger } = this.options;
    const shared = await cache.get(storeId, version).catch((error: unknown) => this.warnRedisDown(error));
    let read: StoreRead;
    if (shared) {
      read = { ...(await inflateStoreAnswer(shared.etag, shared.gzip)), cache: 'hit', version };
    } else {
      read = { ...(await serializeStoreAnswer(await repository.listStoreItems(storeId))), cache: 'miss', version };
      await cache
        .put(storeId, version, read)
        .catch((error: unknown) => logger.warn({ err: error, storeId }, 'could not cache a store answer'));
    }
    this.local?.set(key, { etag: read.etag, identity: read.identity, gzip: read.gzip });
    return read;
  }

  /**
   * One page of a store after the cursor's SKU, cached in this process under the store's read
   * version like whole answers (a page is small: Redis would save a DynamoDB page read, not bytes).
   */
  async readPage(storeId: string, limit: number, cursor?: string): Promise<StorePageRead> {
    const afterSku = cursor === undefined ? undefined : decodeStorePageCursor(cursor, storeId);
    const version = await this.versionOf(storeId);
    const key = `${storeId}@${version}|${limit}|${afterSku ?? ''}`;
    const local = version === undefined ? undefined : this.local?.get(key);
    if (local) return { ...local, cache: 'hit', version };
    const page = await this.options.repository.listStorePage(storeId, limit, afterSku);
    const last = page.items.at(-1);
    const read = {
      ...(await serializeStoreAnswer(page.items)),
      ...(page.more && last ? { next_cursor: encodeStorePageCursor(storeId, last.sku) } : {}),
    };
    if (version !== undefined) this.local?.set(key, read);
    return { ...read, cache: version === undefined ? 'bypass' : 'miss', version };
  }

  /** The store's read version, or undefined (logged, throttled) while Redis is unreachable. */
  private versionOf(storeId: string): Promise<number | undefined> {
    return this.options.cache.currentVersion(storeId).catch((error: unknown) => this.warnRedisDown(error));
  }

  private warnRedisDown(error: unknown): undefined {
    this.warnRedis({ err: error });
    return undefined;
  }
}
