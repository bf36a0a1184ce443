import { MAX_QUANTITY } from '@inventory/domain/model';
import type { RecordedChange } from '@inventory/stock/movements';

export interface SyncTarget {
  quantity: number;
  /** Units the count fell short of the sales made after it: the floor at 0 absorbed them. */
  shortfall: number;
}

/**
 * What a SKU holds after a storm (libs/restock/README.md#live-changes-are-kept): the manifest's count, unless a set was accepted after
 * the count (then the last such set), plus the delta of every adjust accepted after that; floored
 * at 0. `changes` are the SKU's API changes since the storm's `counted_at`, in any order.
 */
export function syncTarget(manifestQuantity: number, changes: readonly RecordedChange[]): SyncTarget {
  let base = manifestQuantity;
  let added = 0;
  for (const change of [...changes].sort((a, b) => a.version - b.version)) {
    if (change.kind === 'set') {
      base = change.quantity_after;
      added = 0;
    } else {
      added += change.delta;
    }
  }
  const quantity = base + added;
  if (quantity < 0) return { quantity: 0, shortfall: -quantity };
  return { quantity: Math.min(quantity, MAX_QUANTITY), shortfall: 0 };
}
