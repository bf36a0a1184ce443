import { z } from 'zod';
import { AppError, ValidationError } from './app-error';
import { skuSchema, storeIdSchema } from './identifiers';
import { MAX_QUANTITY } from './inventory-item';
import { referenceSchema } from './stock-movement';

// Promises (apps/README.md#reservations-and-transfers): what a SKU holds beyond its on-hand count.

/** One SKU's promised units, kept apart from its on-hand item (a storm rewrites items whole, never these). */
export interface PromiseState {
  reserved: number;
  incoming: number;
  safety_stock: number;
}

export const NO_PROMISES: PromiseState = { reserved: 0, incoming: 0, safety_stock: 0 };

/** What a SKU promised just before and just after one of its movements: what its events are judged on. */
export interface PromiseAround {
  before: PromiseState;
  after: PromiseState;
}

/** What every read adds to an item. */
export interface PromiseFields extends PromiseState {
  /** What a new promise is checked against: on hand − reserved − safety stock, never below 0. */
  available: number;
  /** Reserved units the shelf no longer holds (a till sold or a count removed them): never refused, flagged. */
  promised_at_risk: number;
}

export function promiseFields(quantity: number, promise: PromiseState = NO_PROMISES): PromiseFields {
  return {
    reserved: promise.reserved,
    available: Math.max(0, quantity - promise.reserved - promise.safety_stock),
    incoming: promise.incoming,
    safety_stock: promise.safety_stock,
    promised_at_risk: Math.max(0, promise.reserved - quantity),
  };
}

/**
 * Items one reservation or transfer may carry: all of it is one DynamoDB transaction of at most
 * 100 actions. A reservation's item takes 3 (the item's version, its movement, its promise record)
 * besides the reservation, its expiry entry and the key; a transfer's 5 (2 at the source, 3 at the destination).
 */
export const PROMISE_ITEM_LIMITS = { reservation: 32, transfer: 19 } as const;

/** Expiry of a hold, in seconds: default 15 minutes (a checkout), at most 7 days (a click-and-collect). */
export const RESERVATION_EXPIRY_SECONDS = { default: 900, max: 604_800 } as const;

const required = (kind: string) => (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${kind}`);

const unitsSchema = z
  .number({ error: required('a number') })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`);

const promiseItemsSchema = (limit: number) =>
  z
    .array(z.object({ sku: skuSchema, quantity: unitsSchema }, { error: 'must be an object' }), {
      error: required('an array of {sku, quantity}'),
    })
    .min(1, 'must hold at least one item')
    .max(limit, `must hold at most ${limit} items (one transaction)`)
    .superRefine((items, context) => {
      const first = new Map<string, number>();
      items.forEach((item, index) => {
        const earlier = first.get(item.sku);
        if (earlier === undefined) first.set(item.sku, index);
        else context.addIssue({ code: 'custom', path: [index, 'sku'], message: `repeats items.${earlier}.sku: a SKU may appear once` });
      });
    });

const expirySchema = z
  .number({ error: required('a number') })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(RESERVATION_EXPIRY_SECONDS.max, `must be at most ${RESERVATION_EXPIRY_SECONDS.max} (7 days)`);

const object = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: 'request body must be a JSON object' });

/** `POST /inventory/reservations`. */
export const createReservationSchema = object({
  store_id: storeIdSchema,
  items: promiseItemsSchema(PROMISE_ITEM_LIMITS.reservation),
  expires_in_seconds: expirySchema.default(RESERVATION_EXPIRY_SECONDS.default),
  reference: referenceSchema.optional(),
});
export type CreateReservationCommand = z.infer<typeof createReservationSchema>;

/** `POST /inventory/reservations/{id}/commit`: the units sold; absent, everything held. */
export const commitReservationSchema = object({ items: promiseItemsSchema(PROMISE_ITEM_LIMITS.reservation).optional() });
export type CommitReservationCommand = z.infer<typeof commitReservationSchema>;

/** `POST /inventory/reservations/{id}/extend`: a new expiry, counted from now. */
export const extendReservationSchema = object({ expires_in_seconds: expirySchema });

/** `PUT /inventory/store/{storeId}/sku/{sku}/safety-stock`. */
export const safetyStockCommandSchema = object({
  safety_stock: z
    .number({ error: required('a number') })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`),
});

/** `POST /inventory/transfers`. */
export const createTransferSchema = object({
  from_store: storeIdSchema,
  to_store: storeIdSchema,
  items: promiseItemsSchema(PROMISE_ITEM_LIMITS.transfer),
  reference: referenceSchema.optional(),
}).superRefine((transfer, context) => {
  if (transfer.from_store === transfer.to_store)
    context.addIssue({ code: 'custom', path: ['to_store'], message: 'must differ from from_store' });
});
export type CreateTransferCommand = z.infer<typeof createTransferSchema>;

/** `POST /inventory/transfers/{id}/receive`: the units that arrived; absent, everything outstanding. */
export const receiveTransferSchema = object({ items: promiseItemsSchema(PROMISE_ITEM_LIMITS.transfer).optional() });

export const promiseIdSchema = z.string().regex(/^[0-9a-f-]{36}$/, 'is not an id this platform issued');

export const RESERVATION_STATES = ['held', 'committed', 'released', 'expired'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];

export interface PromisedItem {
  sku: string;
  quantity: number;
}

/** A reservation as the API shows it. */
export interface Reservation {
  reservation_id: string;
  store_id: string;
  state: ReservationState;
  items: PromisedItem[];
  /** After a commit: the units that became sales (the rest was released). */
  committed_items?: PromisedItem[];
  expires_at: string;
  reference: string | null;
  created_at: string;
  updated_at: string;
}

export const TRANSFER_STATES = ['in_transit', 'partially_received', 'received', 'cancelled'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

export interface Transfer {
  transfer_id: string;
  from_store: string;
  to_store: string;
  state: TransferState;
  items: PromisedItem[];
  /** Per SKU, the units received so far. */
  received_items: PromisedItem[];
  reference: string | null;
  created_at: string;
  updated_at: string;
}

/** The units of `wanted` (default: all of `held`), checked against what is held: a SKU not held or more than held is bad input naming it. */
export function unitsWithin(held: PromisedItem[], wanted: PromisedItem[] | undefined, what: string): PromisedItem[] {
  if (!wanted) return held.filter((item) => item.quantity > 0);
  const heldUnits = new Map(held.map((item) => [item.sku, item.quantity]));
  const problems = wanted.flatMap((item, index) => {
    const units = heldUnits.get(item.sku);
    if (units === undefined) return [{ field: `items.${index}.sku`, problem: `${item.sku} is not in this ${what}` }];
    if (item.quantity > units)
      return [
        {
          field: `items.${index}.quantity`,
          problem: `must be at most ${units}, the units ${what === 'reservation' ? 'held' : 'outstanding'}`,
        },
      ];
    return [];
  });
  if (problems.length > 0) throw new ValidationError(`items exceed this ${what}`, problems);
  return wanted;
}

/** A hold refused because some items are short: each with what was asked and what is available. Nothing was held. */
export class InsufficientAvailableError extends AppError {
  constructor(items: Array<{ sku: string; requested: number; available: number }>) {
    super(409, 'INSUFFICIENT_AVAILABLE', `not enough available: ${items.map((item) => item.sku).join(', ')}`, [], { items });
  }
}

export class ReservationExpiredError extends AppError {
  constructor(expiresAt: string) {
    super(409, 'RESERVATION_EXPIRED', `the reservation expired at ${expiresAt}; its units were released`);
  }
}

export class ReservationNotHeldError extends AppError {
  constructor(state: ReservationState) {
    super(409, 'RESERVATION_NOT_HELD', `the reservation is ${state}, not held`, [], { state });
  }
}

export class TransferNotInTransitError extends AppError {
  constructor(state: TransferState) {
    super(409, 'TRANSFER_NOT_IN_TRANSIT', `the transfer is ${state}: nothing is outstanding`, [], { state });
  }
}
