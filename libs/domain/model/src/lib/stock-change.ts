import { StockConflictError } from './app-error';
import { MAX_QUANTITY } from './inventory-item';

/** One SKU's stored quantity and version; a SKU the table does not hold is 0 at version 0. */
export interface SkuState {
  store_id: string;
  sku: string;
  quantity: number;
  version: number;
  /** Absent when the table does not hold the SKU. */
  updated_at?: string;
}

/** A requested change of one SKU: a set (optionally compare-and-swap) or a signed delta. */
export type StockChange = { kind: 'set'; quantity: number; change_from_quantity?: number | null } | { kind: 'adjust'; delta: number };

/** The stored item a 409 carries as `current`. */
export function currentItem(state: SkuState) {
  return {
    store_id: state.store_id,
    sku: state.sku,
    quantity: state.quantity,
    updated_at: state.updated_at ?? null,
    version: state.version,
  };
}

/**
 * The quantity a change leaves, from the stored state, or the conflict that refuses it (apps/README.md#stock-movements):
 * a compare-and-swap that does not match, a result below 0 or above the int32 limit.
 */
export function applyChange(state: SkuState, change: StockChange): number {
  if (change.kind === 'set') {
    const expected = change.change_from_quantity;
    if (expected !== undefined && expected !== null && expected !== state.quantity) {
      throw new StockConflictError(
        'STALE_QUANTITY',
        `change_from_quantity is ${expected} but the stored quantity is ${state.quantity}`,
        currentItem(state),
      );
    }
    return change.quantity;
  }
  const after = state.quantity + change.delta;
  if (after < 0) {
    throw new StockConflictError(
      'INSUFFICIENT_STOCK',
      `delta ${change.delta} would leave ${after}; the stored quantity is ${state.quantity}`,
      currentItem(state),
    );
  }
  if (after > MAX_QUANTITY) {
    throw new StockConflictError('QUANTITY_OVER_LIMIT', `delta ${change.delta} would leave more than ${MAX_QUANTITY}`, currentItem(state));
  }
  return after;
}
