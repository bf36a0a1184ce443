import type { StockMovement } from './stock-movement';

/** The promise events (apps/README.md#reservations-and-transfers): one per movement of a hold or a shipment. */
export const PROMISE_EVENT_TYPES = ['stock.reserved', 'stock.released', 'stock.transfer_shipped', 'stock.transfer_received'] as const;
export type PromiseEventType = (typeof PROMISE_EVENT_TYPES)[number];

/**
 * What a webhook may subscribe to: every movement, the low-stock crossings (of `available`), the
 * promise events, and a SKU's on-hand count falling below what it has reserved.
 */
export const STOCK_EVENT_TYPES = [
  'stock.movement',
  'stock.low',
  'stock.out',
  'stock.restored',
  ...PROMISE_EVENT_TYPES,
  'stock.promise_at_risk',
] as const;
export type StockEventType = (typeof STOCK_EVENT_TYPES)[number];
export type ThresholdCrossing = 'stock.low' | 'stock.out' | 'stock.restored';

/**
 * One event. Its id is derived from the movement that caused it, so the same movement read twice
 * from the stream (a consumer killed before its checkpoint) makes the same event, and receivers
 * deduplicate by `event_id`; `version` orders a SKU's events.
 */
export interface StockEvent {
  event_id: string;
  type: StockEventType;
  store_id: string;
  sku: string;
  version: number;
  quantity: number;
  /** On hand − reserved − safety stock after the movement, never below 0: what thresholds are crossed by. */
  available: number;
  at: string;
  movement: StockMovement;
  /** Crossing events only: the threshold crossed. */
  low_stock_at?: number;
  /** `stock.promise_at_risk` only: the reserved units the shelf no longer holds. */
  promised_at_risk?: number;
}

/** A stream record the events consumer gave up on (libs/events/README.md#poison-records), as an operator sees it. */
export interface DeadLetter {
  shard_id: string;
  sequence_number: string;
  /** When the record was written to the stream. */
  written_at: string;
  failed_at: string;
  error: string;
  /** The record as the stream gave it (JSON), to replay once the cause is fixed. */
  record: string;
}
