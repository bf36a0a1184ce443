import type { StockEvent, StockEventType, StockMovement, ThresholdCrossing } from '@inventory/domain/model';

/**
 * The crossings of one movement against a SKU's threshold `n`: falling to `n` or below
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
  const crossings = lowStockAt === undefined ? [] : thresholdCrossings(movement.quantity_before, movement.quantity_after, lowStockAt);
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
  return [event('stock.movement', movement.movement_id), ...crossings.map((type) => event(type, `${movement.movement_id}.${type}`))];
}
