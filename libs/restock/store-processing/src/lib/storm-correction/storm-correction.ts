import { randomUUID } from 'node:crypto';
import { rfc3339, type StockMovement, type ItemVersion } from '@inventory/domain/model';
import type { RecordedChange } from '@inventory/stock/movements';
import { StaleStateError, type StockWriteRepository } from '@inventory/stock/inventory-table';
import type { StoreChanges } from './store-changes';
import { syncTarget } from './sync-target';

/**
 * How far a storm's write moves an item's version past the one it read. BatchWriteItem cannot be
 * conditional, so a live change landing between the storm's read and its write is overwritten
 * (and then put back). The step keeps the storm's write ahead of up to 999 such changes of one
 * SKU within those seconds, for the counters (which apply only newer versions) and to tell the
 * overwritten changes by version: those between the read and the write.
 */
export const STORM_VERSION_STEP = 1_000;

/** The actor of a storm's movements when its job does not name who started it (a job queued before jobs did). */
export const STORM_ACTOR = 'restock-worker';

/** Which storm, and who started it: the actor of its movements (apps/README.md#access-control). */
export interface StormOrigin {
  stormId: string;
  startedBy?: string;
}

export const stormReference = (stormId: string) => `storm:${stormId}`;

/**
 * A storm's movement of one SKU, from what it read to what it writes, dated `at`: the storm's
 * write is dated at its count (`counted_at`, what the manifest states), a correction when made.
 */
export function stormMovement(
  { stormId, startedBy }: StormOrigin,
  storeId: string,
  sku: string,
  from: { quantity: number; version: number },
  to: { quantity: number; version: number; shortfall: number },
  at: Date,
): StockMovement {
  return {
    movement_id: randomUUID(),
    store_id: storeId,
    sku,
    delta: to.quantity - from.quantity,
    quantity_before: from.quantity,
    quantity_after: to.quantity,
    version: to.version,
    reason: 'restock_sync',
    source: 'storm',
    reference: stormReference(stormId),
    actor: startedBy ?? STORM_ACTOR,
    on_behalf_of: null,
    idempotency_key: null,
    request_id: null,
    at: at.toISOString(),
    ...(to.shortfall > 0 ? { shortfall: to.shortfall } : {}),
  };
}

/**
 * The storm's movement of a SKU as the ledger shows it: from the quantity its write replaced. Its
 * write is unconditional, so a change landing between its read and its write (a version between
 * the two) was overwritten, and the write went from that change's quantity, not the one it read;
 * the correction then puts the change back as a movement of its own. Each link of the SKU's
 * history starts where the one before ended (libs/restock/README.md#live-changes-are-kept).
 */
export function rebasedStormMovement(movement: StockMovement, changes: readonly RecordedChange[]): StockMovement {
  const readVersion = movement.version - STORM_VERSION_STEP;
  let replaced: RecordedChange | undefined;
  for (const change of changes) {
    if (change.version > readVersion && change.version < movement.version && change.version > (replaced?.version ?? -1)) replaced = change;
  }
  if (!replaced || replaced.quantity_after === movement.quantity_before) return movement;
  return { ...movement, quantity_before: replaced.quantity_after, delta: movement.quantity_after - replaced.quantity_after };
}

/**
 * Brings a SKU the storm wrote to what it must hold (libs/restock/README.md#live-changes-are-kept), when a change landed between the
 * storm's read and its (unconditional) write and was overwritten: reads the SKU, refreshes the
 * store's changes (so they include everything the read state holds), and sets the target with a
 * compare-and-swap, as one more storm movement. Nothing to do answers undefined.
 */
export async function correctSku(
  writes: StockWriteRepository,
  changes: StoreChanges,
  job: StormOrigin & { storeId: string; sku: string; manifestQuantity: number },
  now: () => Date,
): Promise<ItemVersion | undefined> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const state = await writes.readState(job.storeId, job.sku);
    await changes.refresh();
    const target = syncTarget(job.manifestQuantity, changes.of(job.sku));
    if (state.quantity === target.quantity) return undefined;
    const at = now();
    const version = state.version + 1;
    const movement = stormMovement(job, job.storeId, job.sku, state, { ...target, version }, at);
    try {
      await writes.commit({ expected: state, movement, kind: 'set', updatedAt: rfc3339(at) });
      return { sku: job.sku, version, quantity: target.quantity };
    } catch (error) {
      if (!(error instanceof StaleStateError)) throw error;
    }
  }
  throw new Error(`storm ${job.stormId}: ${job.storeId}/${job.sku} kept changing while being corrected`);
}
