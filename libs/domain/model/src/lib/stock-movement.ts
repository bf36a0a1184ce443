import { z } from 'zod';
import { CONTROL_CHARS } from './identifiers';
import type { StoredInventoryItem } from './inventory-item';

/** Why a quantity changed (apps/README.md#stock-movements); anything else is refused naming the field. */
export const MOVEMENT_REASONS = [
  'sale',
  'return',
  'receiving',
  'correction',
  'damage',
  'shrinkage',
  'transfer_in',
  'transfer_out',
  'restock_sync',
  'reconcile',
] as const;

/** Reasons only the platform gives: a promise's movements (apps/README.md#reservations-and-transfers), never a caller. */
export const PROMISE_REASONS = ['reserve', 'release', 'expire', 'safety_stock'] as const;

/** Every reason the ledger shows. */
export const LEDGER_REASONS = [...MOVEMENT_REASONS, ...PROMISE_REASONS] as const;

export type MovementReason = (typeof LEDGER_REASONS)[number];

/** Who made the change: a caller of the API, a Restock Storm, or the reconcile tool. */
export type MovementSource = 'api' | 'storm' | 'reconcile';

/** One change of one SKU's quantity: every change has exactly one, and every record one change. */
export interface StockMovement {
  movement_id: string;
  store_id: string;
  sku: string;
  delta: number;
  quantity_before: number;
  quantity_after: number;
  /** The item's version after this change: orders a SKU's movements without a gap. */
  version: number;
  reason: MovementReason;
  source: MovementSource;
  reference: string | null;
  /** The authenticated principal that made the change (apps/README.md#access-control), or the storm or tool. */
  actor: string;
  /** Who the principal acted for, as it said in `X-Actor` (the cashier at a till): its word, never its identity. */
  on_behalf_of: string | null;
  idempotency_key: string | null;
  request_id: string | null;
  /** RFC 3339 with milliseconds, when the change was accepted. */
  at: string;
  /** A storm's movement only: how many units the warehouse count fell short of the sales made after it (floored at 0). */
  shortfall?: number;
  /** A promise's movement (apps/README.md#reservations-and-transfers): the reservation or transfer it belongs to. */
  reservation_id?: string;
  transfer_id?: string;
  /** A promise's movement: the SKU's promised units before and after it. */
  reserved_before?: number;
  reserved_after?: number;
  incoming_before?: number;
  incoming_after?: number;
  safety_stock_before?: number;
  safety_stock?: number;
}

/** A set replaces the quantity, an adjust adds to it: what a storm must know to keep a change. */
export type MovementKind = 'set' | 'adjust';

/** What every stock write answers: the stored item, flat as the original answered it, and its movement. */
export type StockWriteAnswer = Omit<StoredInventoryItem, 'content_hash' | 'restock_storm' | 'storm_movement'> & { movement: StockMovement };

export const MAX_REFERENCE_LENGTH = 256;

export const reasonSchema = z.enum(MOVEMENT_REASONS, { error: `must be one of ${MOVEMENT_REASONS.join(', ')}` });

export const referenceSchema = z
  .string({ error: 'must be a string' })
  .max(MAX_REFERENCE_LENGTH, `must be at most ${MAX_REFERENCE_LENGTH} characters`)
  .refine((value) => !CONTROL_CHARS.test(value), 'must not contain control characters');
