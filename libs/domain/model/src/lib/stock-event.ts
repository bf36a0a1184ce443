import type { StockMovement } from './stock-movement';

/** What a webhook may subscribe to (SPEC §11): every movement, and the low-stock crossings. */
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

/**
 * The crossings of one movement against a SKU's threshold `n` (SPEC §11): falling to `n` or below
 * is `stock.low`, to 0 `stock.out` (a fall from above `n` straight to 0 crosses both lines), back
 * above `n` `stock.restored`. A movement that stays on one side crosses nothing, so a SKU selling
 * down under its threshold raises one `stock.low`, not one per sale.
 */
export function thresholdCrossings(before: number, after: number, lowStockAt: number): ThresholdCrossing[] {
  const crossings: ThresholdCrossing[] = [];
  if (before > lowStockAt && after <= lowStockAt) crossings.push('stock.low');
  if (before > 0 && after === 0) crossings.push('stock.out');
  if (before <= lowStockAt && after > lowStockAt) crossings.push('stock.restored');
  return crossings;
}

/** The events of one movement: the movement itself, then its crossings of the SKU's threshold, if it has one. */
export function stockEventsOf(movement: StockMovement, lowStockAt: number | undefined): StockEvent[] {
  const event = (type: StockEventType, eventId: string): StockEvent => ({
    event_id: eventId,
    type,
    store_id: movement.store_id,
    sku: movement.sku,
    version: movement.version,
    quantity: movement.quantity_after,
    at: movement.at,
    movement,
    ...(type === 'stock.movement' || lowStockAt === undefined ? {} : { low_stock_at: lowStockAt }),
  });
  const crossings = lowStockAt === undefined ? [] : thresholdCrossings(movement.quantity_before, movement.quantity_after, lowStockAt);
  return [event('stock.movement', movement.movement_id), ...crossings.map((type) => event(type, `${movement.movement_id}.${type}`))];
}
