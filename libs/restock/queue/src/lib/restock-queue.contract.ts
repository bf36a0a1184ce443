/** The queue restock jobs travel on, between write-api (producer) and restock-worker (consumer). */
export const RESTOCK_QUEUE_NAME = 'restock';

/**
 * The Redis list BullMQ keeps waiting jobs in: what the autoscaler (KEDA) watches to scale the
 * workers. Derived here so the manifests never spell it by hand.
 */
export function restockWaitListKey(prefix: string): string {
  return `${prefix}:${RESTOCK_QUEUE_NAME}:wait`;
}

/** One job per (storm, store); BullMQ ids may not contain `:`, and neither part can. */
export function restockJobId(stormId: string, storeId: string): string {
  return `${stormId}-${storeId}`;
}

export interface RestockJobData {
  storm_id: string;
  store_id: string;
  /** 1-based: the manifest and the baseline assortment are functions of it. */
  store_index: number;
  skus_per_store: number;
  manifest_seed: number;
  change_ratio: number;
  target_cpu: number;
  /** Epoch ms after which the job stops at a chunk boundary. */
  deadline_ms: number;
  /** The instant the manifest counts (RFC 3339, ms): changes accepted after it are kept. */
  counted_at: string;
  /** The operator who started the storm, as the ledger names it: the actor of its movements. */
  started_by?: string;
}

/** What a job reports for its store, once, whether it finished or stopped at the deadline. */
export interface StoreRestockResult {
  skus_checked: number;
  skus_written: number;
  skus_unchanged: number;
  /** SKUs whose sales after the count exceeded it (floored at 0, recorded on their movement). */
  shortfalls: number;
  /** SKUs holding fewer units on hand than they have reserved once the store was synced (their holds kept, flagged). */
  promises_at_risk: number;
  /** False when the deadline stopped the store part-way. */
  complete: boolean;
}
