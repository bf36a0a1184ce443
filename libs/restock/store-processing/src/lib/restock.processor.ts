import { rfc3339, type StockMovement, type StoredInventoryItem, type ItemVersion } from '@inventory/domain/model';
import type { MovementHistoryRepository, PromiseRecords, RecordedChange } from '@inventory/stock/movements';
import type { RestockState, StockWriteRepository, StoreInventoryRepository } from '@inventory/stock/inventory-table';
import type { InventoryCounters } from '@inventory/stock/counters-and-cache';
import type { Logger, Metrics } from '@inventory/shared/observability';
import type { RestockJobData, StoreRestockResult } from '@inventory/restock/queue';
import { type CpuStage, inlineCpuStage } from './cpu-stage';
import type { CheckedSku } from './manifest-slice';
import { StoreChanges } from './storm-correction/store-changes';
import { correctSku, rebasedStormMovement, STORM_VERSION_STEP, stormMovement } from './storm-correction/storm-correction';
import { StoreWritePacer } from './store-write-pacer';
import { StoredStateCursor } from './stored-state.cursor';
import { syncTarget } from './storm-correction/sync-target';

/** Where a store's outcome counts toward its storm: restock/storm's records. */
export interface StoreOutcomes {
  reportStore(stormId: string, storeId: string, result: StoreRestockResult, now: Date): Promise<unknown>;
}

/** Paces the per-SKU CPU work to the job's target: restock/cpu-governor's governor, one per process. */
export interface CpuPacer {
  setTarget(percent: number): void;
  pace(): Promise<void>;
}

export interface RestockProcessorDeps {
  repository: StoreInventoryRepository;
  /** The compare-and-swap writes that put back a change the storm's write overwrote. */
  writes: StockWriteRepository;
  /** The store's changes since the count, which the storm keeps. */
  history: MovementHistoryRepository;
  /** What the store's SKUs have promised: where the synced count is below what is reserved, the store's promises are at risk. */
  promises: PromiseRecords;
  counters: InventoryCounters;
  records: StoreOutcomes;
  governor: CpuPacer;
  /** Where the per-SKU CPU work runs; the main thread unless given a pool. */
  cpuStage?: CpuStage;
  logger: Logger;
  metrics: Metrics;
  /** Called by the first job that finds its storm past the deadline: end the storm, drop what waits. */
  onDeadline: (stormId: string) => Promise<void>;
  /** SKUs per slice: the unit of CPU pacing, of writes, and where a deadline can stop a store. */
  chunkSize?: number;
  /** Write units a second the job spends on its store's partition at most (`RESTOCK_STORE_WCU_PER_SECOND`); unset: unpaced. */
  storeWcuPerSecond?: number;
  now?: () => Date;
}

function highestSku(checked: CheckedSku[]): string {
  let highest = '';
  for (const { record } of checked) if (record.sku > highest) highest = record.sku;
  return highest;
}

/** What a SKU holds as far as the storm knows: the state it read, or a change recorded since. */
function latestOf(current: RestockState | undefined, changes: readonly RecordedChange[]): { quantity: number; version: number } {
  let latest = { quantity: current?.quantity ?? 0, version: current?.version ?? 0 };
  for (const change of changes) if (change.version > latest.version) latest = { quantity: change.quantity_after, version: change.version };
  return latest;
}

/**
 * The store's SKUs holding fewer units on hand than they have reserved, once the store is synced:
 * the storm never drops a hold (libs/restock/README.md#live-changes-are-kept), it counts where the
 * shelf no longer covers one (each also raises `stock.promise_at_risk` from the stream). One query
 * for the store's promise records (sparse), one read per 100 SKUs holding any.
 */
async function promisesAtRisk(deps: Pick<RestockProcessorDeps, 'promises' | 'repository'>, storeId: string): Promise<number> {
  const reserved = [...(await deps.promises.ofStore(storeId))].filter(([, promise]) => promise.reserved > 0);
  let atRisk = 0;
  for (let first = 0; first < reserved.length; first += 100) {
    const slice = reserved.slice(first, first + 100);
    const onHand = new Map(
      (await deps.repository.getItems(slice.map(([sku]) => ({ storeId, sku })))).map((item) => [item.sku, item.quantity]),
    );
    for (const [sku, promise] of slice) if (promise.reserved > (onHand.get(sku) ?? 0)) atRisk += 1;
  }
  return atRisk;
}

/** Storm movements held before they are recorded: one write per bucket of a chunk (storm-movement-chunk.ts) per flush. */
const MOVEMENTS_PER_FLUSH = 2_000;

/** A SKU this job wrote, and the version window in which a change it overwrote would sit. */
interface WrittenSku {
  sku: string;
  readVersion: number;
  stormVersion: number;
  manifestQuantity: number;
}

/**
 * Syncs one store with its warehouse manifest, keeping every change accepted after the count
 * (libs/restock/README.md#live-changes-are-kept): each SKU is written to the manifest's count unless a set came after the count (then
 * that set), plus the adjusts after it, as a storm movement kept on the item and recorded in the
 * store's chunks after the items. The write is
 * an unconditional BatchWriteItem, so a change landing between the storm's read of a SKU and its
 * write is overwritten: its movement is still recorded, with a version between the two, and the
 * storm puts it back with a compare-and-swap right after the write (storm-correction.ts).
 *
 * Safe to run again after being killed part-way: it re-reads the store; an item holding this
 * storm's id was written by an earlier attempt, whose movement it records again (the same
 * attribute of the same chunk: never twice) and whose value it checks against the changes once more; counters are re-applied by
 * version, which changes nothing if they were applied already. The store's result is reported once.
 */
export function createRestockProcessor(deps: RestockProcessorDeps) {
  const chunkSize = deps.chunkSize ?? 250;
  const now = deps.now ?? (() => new Date());
  const cpuStage = deps.cpuStage ?? inlineCpuStage();

  return async (job: RestockJobData): Promise<StoreRestockResult> => {
    const result: StoreRestockResult = {
      skus_checked: 0,
      skus_written: 0,
      skus_unchanged: 0,
      shortfalls: 0,
      promises_at_risk: 0,
      complete: true,
    };
    if (now().getTime() >= job.deadline_ms) {
      await deps.onDeadline(job.storm_id);
      return { ...result, complete: false };
    }
    deps.governor.setTarget(job.target_cpu);
    const pacer = deps.storeWcuPerSecond ? new StoreWritePacer(deps.storeWcuPerSecond) : undefined;
    const writeOptions = pacer ? { pace: (units: number) => pacer.take(units) } : {};
    const changes = new StoreChanges(deps.history, job.store_id, job.counted_at);
    const countedAt = new Date(job.counted_at);
    // Read a chunk's worth at a time, just before checking it: a live sale the storm overwrites
    // must land within one chunk's read-to-write window, not within the whole store's.
    const stored = new StoredStateCursor(deps.repository.restockStatePages(job.store_id, chunkSize));
    // Recorded in the store's chunks after the items they describe, a few writes per store; each
    // from the quantity its write replaced, which the changes read after the write name.
    let movements: StockMovement[] = [];
    const flushMovements = async () => {
      if (movements.length === 0) return;
      await changes.refresh();
      await changes.refreshBeforeCount();
      await deps.history.recordStormMovements(
        job.storm_id,
        movements.map((movement) => rebasedStormMovement(movement, changes.replaceable(movement.sku))),
      );
      movements = [];
    };

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
      // After the read: the changes then include every one the states read already hold.
      await changes.refresh();
      const at = now();
      const updatedAt = rfc3339(at);
      const writes: StoredInventoryItem[] = [];
      const counted: ItemVersion[] = [];
      const written: WrittenSku[] = [];
      const toCorrect: Array<{ sku: string; manifestQuantity: number }> = [];
      for (const { record, contentHash } of checked) {
        const current = states.get(record.sku);
        const skuChanges = changes.of(record.sku);
        result.skus_checked += 1;
        if (current?.restock_storm === job.storm_id) {
          // Written by an earlier attempt of this job: record its movement again (a lost batch),
          // and put back what its write overwrote if that attempt died before doing so.
          result.skus_written += 1;
          const earlier = current.storm_movement_json ? (JSON.parse(current.storm_movement_json) as StockMovement) : undefined;
          if (earlier?.shortfall) result.shortfalls += 1;
          if (earlier) movements.push(earlier);
          counted.push({ sku: record.sku, version: current.version, quantity: current.quantity });
          if (current.quantity !== syncTarget(record.quantity, skuChanges).quantity) {
            toCorrect.push({ sku: record.sku, manifestQuantity: record.quantity });
          }
          continue;
        }
        if (skuChanges.length === 0 && current?.content_hash === contentHash) {
          result.skus_unchanged += 1;
          continue;
        }
        const target = syncTarget(record.quantity, skuChanges);
        // A change newer than the state read (made since the read) is what the SKU holds now.
        const latest = latestOf(current, skuChanges);
        if (skuChanges.length > 0 && latest.quantity === target.quantity) {
          result.skus_unchanged += 1;
          continue;
        }
        result.skus_written += 1;
        if (target.shortfall > 0) result.shortfalls += 1;
        const readVersion = latest.version;
        const version = readVersion + STORM_VERSION_STEP;
        const movement = stormMovement(
          { stormId: job.storm_id, startedBy: job.started_by },
          job.store_id,
          record.sku,
          latest,
          { ...target, version },
          countedAt,
        );
        // Fields named, not spread: the spread showed up as the processor's costliest line in profiles.
        writes.push({
          store_id: record.store_id,
          sku: record.sku,
          quantity: target.quantity,
          updated_at: updatedAt,
          version,
          // The hash says "holds the manifest's record": not so when changes were kept on top.
          content_hash: skuChanges.length === 0 ? contentHash : undefined,
          restock_storm: job.storm_id,
          storm_movement: movement,
        });
        movements.push(movement);
        counted.push({ sku: record.sku, version, quantity: target.quantity });
        written.push({ sku: record.sku, readVersion, stormVersion: version, manifestQuantity: record.quantity });
      }
      deps.metrics.count('RestockIterations', count);
      await deps.governor.pace();
      if (writes.length > 0) await deps.repository.putItems(writes, writeOptions);
      if (movements.length >= MOVEMENTS_PER_FLUSH) await flushMovements();
      // Also bumps the store's read version, retiring its cached answers.
      if (counted.length > 0) await deps.counters.apply(job.store_id, counted);
      if (written.length > 0) {
        await changes.refresh();
        for (const sku of written) {
          const overwritten = changes.of(sku.sku).some((change) => change.version > sku.readVersion && change.version < sku.stormVersion);
          if (overwritten) toCorrect.push(sku);
        }
      }
      const corrected: ItemVersion[] = [];
      for (const { sku, manifestQuantity } of toCorrect) {
        const applied = await correctSku(
          deps.writes,
          changes,
          { stormId: job.storm_id, startedBy: job.started_by, storeId: job.store_id, sku, manifestQuantity },
          now,
        );
        if (applied) corrected.push(applied);
      }
      if (corrected.length > 0) {
        deps.metrics.count('RestockChangesKept', corrected.length);
        await deps.counters.apply(job.store_id, corrected);
      }
    }

    await flushMovements();
    result.promises_at_risk = await promisesAtRisk(deps, job.store_id);
    await deps.records.reportStore(job.storm_id, job.store_id, result, now());
    if (!result.complete) await deps.onDeadline(job.storm_id);
    return result;
  };
}
