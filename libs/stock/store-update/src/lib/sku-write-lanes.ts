import { LRUCache } from 'lru-cache';
import type { SkuState } from '@inventory/domain/model';

/**
 * One lane per SKU in this process: writes of a SKU run one after another, so concurrent requests
 * for a hot SKU do not race each other's compare-and-swap (only other pods can), and each starts
 * from the state the previous one left, remembered here, instead of reading it first.
 */
export class SkuWriteLanes {
  private readonly tails = new Map<string, Promise<unknown>>();
  /** The last state this process saw of a SKU; a guess, checked by the write's condition. */
  private readonly known: LRUCache<string, SkuState>;

  constructor(maxKnown = 50_000) {
    this.known = new LRUCache({ max: maxKnown });
  }

  /** Runs `task` after every task queued before it for the same SKU, whatever their outcome. */
  run<T>(storeId: string, sku: string, task: (lane: SkuLane) => Promise<T>): Promise<T> {
    const key = `${storeId}/${sku}`;
    const lane: SkuLane = {
      known: () => this.known.get(key),
      remember: (state) => this.known.set(key, state),
      forget: () => this.known.delete(key),
    };
    const result = (this.tails.get(key) ?? Promise.resolve()).then(() => task(lane));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

export interface SkuLane {
  known(): SkuState | undefined;
  remember(state: SkuState): void;
  forget(): void;
}
