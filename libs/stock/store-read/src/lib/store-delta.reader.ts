import { LRUCache } from 'lru-cache';
import { ServiceUnavailableError, SinceVersionExpiredError } from '@inventory/domain/model';
import type { StoreReadCache } from '@inventory/stock/counters-and-cache';
import type { StoreItems, VersionedStoreItem } from './store-items';

/** BatchGetItem's limit. */
const KEYS_PER_BATCH = 100;

/** A delta answer (apps/README.md#http-contract): the store's version now and the current items of what changed after the asked one. */
export interface StoreDelta {
  store_version: number;
  changes: VersionedStoreItem[];
}

/**
 * Delta reads (`/inventory/store/{storeId}/changes?since_version=N`): the store's change log in Redis (written by the counters'
 * scripts, atomically with the read version's bump) names the SKUs changed after N, and only those
 * are read from DynamoDB, strongly consistent: k changes cost one Redis script and k/100
 * BatchGetItems, never a whole-store read. A SKU changed again after the version answered is read
 * as it is now, and shows again in the next delta: a delta may repeat a change, never miss one.
 * Answers are kept in this process under (store version, asked version), as whole answers are
 * under the version alone: tills of a quiet store polling from the same version share one read.
 */
export class StoreDeltaReader {
  /** About 128 bytes an item: 16 MB of answers at most. */
  private readonly answers = new LRUCache<string, StoreDelta>({
    maxSize: 16 * 1024 * 1024,
    sizeCalculation: (answer) => 64 + answer.changes.length * 128,
  });

  constructor(
    private readonly cache: StoreReadCache,
    private readonly repository: StoreItems,
  ) {}

  async changesSince(storeId: string, since: number): Promise<StoreDelta> {
    const log = await this.cache.changesSince(storeId, since).catch((error: unknown) => {
      throw Object.assign(new ServiceUnavailableError('the store change log is unavailable; read the whole store instead'), {
        cause: error,
      });
    });
    if ('expired' in log) throw new SinceVersionExpiredError(since, log.version);
    const key = `${storeId}@${log.version}|${since}`;
    const kept = this.answers.get(key);
    if (kept) return kept;
    const changes: VersionedStoreItem[] = [];
    for (let first = 0; first < log.skus.length; first += KEYS_PER_BATCH) {
      const keys = log.skus.slice(first, first + KEYS_PER_BATCH).map((sku) => ({ storeId, sku }));
      changes.push(...(await this.repository.getItems(keys)));
    }
    changes.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const answer = { store_version: log.version, changes };
    this.answers.set(key, answer);
    return answer;
  }
}
