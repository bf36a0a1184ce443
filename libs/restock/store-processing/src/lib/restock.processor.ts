import { rfc3339, type StoredInventoryItem } from '@inventory/domain/model';
import type { StoreInventoryRepository } from '@inventory/stock/table';
import type { InventoryCounters, ItemVersion } from '@inventory/stock/counters-and-cache';
import type { Logger, Metrics } from '@inventory/shared/observability';
import type { RestockJobData, StoreRestockResult, StormRecords } from '@inventory/restock/queue';
import type { CpuGovernor } from '@inventory/restock/cpu-governor';
import { type CpuStage, inlineCpuStage } from './cpu-stage';
import type { CheckedSku } from './manifest-slice';
import { StoredStateCursor } from './stored-state.cursor';

/**
 * How far a storm's write moves an item's version past the one it read. BatchWriteItem cannot be
 * conditional, so a live update landing between the storm's read and its write is overwritten;
 * with a step of 1 both would carry the same version and the counters, which apply only newer
 * versions, would keep whichever came first. This step keeps the storm's write (the table's final
 * state) ahead of up to 999 such updates of one SKU within those seconds.
 */
export const STORM_VERSION_STEP = 1_000;

export interface RestockProcessorDeps {
  repository: StoreInventoryRepository;
  counters: InventoryCounters;
  records: StormRecords;
  governor: CpuGovernor;
  /** Where the per-SKU CPU work runs; the main thread unless given a pool. */
  cpuStage?: CpuStage;
  logger: Logger;
  metrics: Metrics;
  /** Called by the first job that finds its storm past the deadline: end the storm, drop what waits. */
  onDeadline: (stormId: string) => Promise<void>;
  /** SKUs per slice: the unit of CPU pacing, of writes, and where a deadline can stop a store. */
  chunkSize?: number;
  now?: () => Date;
}

function highestSku(checked: CheckedSku[]): string {
  let highest = '';
  for (const { record } of checked) if (record.sku > highest) highest = record.sku;
  return highest;
}

/**
 * Syncs one store with its warehouse manifest. Safe to run again after being killed part-way:
 * it re-reads the store, and an item already holding the manifest's content hash and this storm's
 * id counts as written by an earlier attempt; its counters are re-applied by version, which
 * changes nothing if they were applied already. The store's result is reported once.
 */
export function createRestockProcessor(deps: RestockProcessorDeps) {
  const chunkSize = deps.chunkSize ?? 250;
  const now = deps.now ?? (() => new Date());
  const cpuStage = deps.cpuStage ?? inlineCpuStage();

  return async (job: RestockJobData): Promise<StoreRestockResult> => {
    const result: StoreRestockResult = { skus_checked: 0, skus_written: 0, skus_unchanged: 0, complete: true };
    if (now().getTime() >= job.deadline_ms) {
      await deps.onDeadline(job.storm_id);
      return { ...result, complete: false };
    }
    deps.governor.setTarget(job.target_cpu);
    // Read a chunk's worth at a time, just before checking it: a live sale the storm overwrites
    // must land within one chunk's read-to-write window, not within the whole store's.
    const stored = new StoredStateCursor(deps.repository.restockStatePages(job.store_id, chunkSize));
    const updatedAt = rfc3339(now());

    for (let first = 0; first < job.skus_per_store; first += chunkSize) {
      if (now().getTime() >= job.deadline_ms) {
        result.complete = false;
        break;
      }
      const count = Math.min(chunkSize, job.skus_per_store - first);
      const checked = await cpuStage.check({
        manifest_seed: job.manifest_seed,
        store_index: job.store_index,
        change_ratio: job.change_ratio,
        first,
        count,
      });
      const states = await stored.through(highestSku(checked));
      const writes: StoredInventoryItem[] = [];
      const counted: ItemVersion[] = [];
      for (const { record, contentHash } of checked) {
        const current = states.get(record.sku);
        result.skus_checked += 1;
        if (current?.content_hash === contentHash && current.restock_storm !== job.storm_id) {
          result.skus_unchanged += 1;
          continue;
        }
        result.skus_written += 1;
        if (current?.content_hash === contentHash) {
          counted.push({ sku: record.sku, version: current.version, quantity: record.quantity });
          continue;
        }
        const version = (current?.version ?? 0) + STORM_VERSION_STEP;
        // Fields named, not spread: the spread showed up as the processor's costliest line in profiles.
        writes.push({
          store_id: record.store_id,
          sku: record.sku,
          quantity: record.quantity,
          updated_at: updatedAt,
          version,
          content_hash: contentHash,
          restock_storm: job.storm_id,
        });
        counted.push({ sku: record.sku, version, quantity: record.quantity });
      }
      deps.metrics.count('RestockIterations', count);
      await deps.governor.pace();
      if (writes.length > 0) await deps.repository.putItems(writes);
      // Also bumps the store's read version, retiring its cached answers.
      if (counted.length > 0) await deps.counters.apply(job.store_id, counted);
    }

    await deps.records.reportStore(job.storm_id, job.store_id, result, now());
    if (!result.complete) await deps.onDeadline(job.storm_id);
    return result;
  };
}
