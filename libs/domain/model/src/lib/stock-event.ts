import type { StockMovement } from './stock-movement';

/** What a webhook may subscribe to: every movement, and the low-stock crossings. */
export const STOCK_EVENT_TYPES = ['stock.movement', 'stock.low', 'stock.out', 'stock.restored'] as const;
export type StockEventType = (typeof STOCK_EVENT_TYPES)[number];
export type ThresholdCrossing = Exclude<StockEventType, 'stock.movement'>;

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
  at: string;
  movement: StockMovement;
  /** Crossing events only: the threshold crossed. */
  low_stock_at?: number;
}
