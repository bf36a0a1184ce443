import {
  NO_PROMISES,
  type PromiseAround,
  promiseFields,
  type PromiseEventType,
  type StockEvent,
  type StockEventType,
  type StockMovement,
  type ThresholdCrossing,
} from '@inventory/domain/model';

/**
 * The crossings of one movement's `available` (on hand when nothing is promised) against a SKU's threshold `n`: falling to `n` or below
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

/**
 * What a promise's movement is to a subscriber: a hold made, a hold ended without a sale (released
 * or expired), units shipped off the source's shelf, units received from the road into on hand.
 */
export function promiseEvent(movement: StockMovement): PromiseEventType | undefined {
  if (movement.reason === 'reserve') return 'stock.reserved';
  if (movement.reason === 'release' || movement.reason === 'expire') return 'stock.released';
  if (movement.transfer_id === undefined) return undefined;
  if (movement.reason === 'transfer_out' && movement.delta < 0) return 'stock.transfer_shipped';
  const arrived = (movement.incoming_after ?? 0) < (movement.incoming_before ?? 0);
  return movement.reason === 'transfer_in' && movement.delta > 0 && arrived ? 'stock.transfer_received' : undefined;
}

/**
 * The events of one movement: the movement itself, its promise event, its crossings of the SKU's
 * threshold (if it has one) by `available`, and `stock.promise_at_risk` when on hand falls below
 * what is reserved — once per crossing, like the thresholds. `around`: what the SKU promised before
 * and after it (stock/movements' `PromiseRecords.around`).
 */
export function stockEventsOf(
  movement: StockMovement,
  lowStockAt: number | undefined,
  around: PromiseAround = { before: NO_PROMISES, after: NO_PROMISES },
): StockEvent[] {
  const before = promiseFields(movement.quantity_before, around.before);
  const after = promiseFields(movement.quantity_after, around.after);
  const crossings = lowStockAt === undefined ? [] : thresholdCrossings(before.available, after.available, lowStockAt);
  const promise = promiseEvent(movement);
  const atRisk = before.promised_at_risk === 0 && after.promised_at_risk > 0;
  const event = (type: StockEventType, eventId: string): StockEvent => ({
    event_id: eventId,
    type,
    store_id: movement.store_id,
    sku: movement.sku,
    version: movement.version,
    quantity: movement.quantity_after,
    available: after.available,
    at: movement.at,
    movement,
    ...(lowStockAt !== undefined && (crossings as StockEventType[]).includes(type) ? { low_stock_at: lowStockAt } : {}),
    ...(type === 'stock.promise_at_risk' ? { promised_at_risk: after.promised_at_risk } : {}),
  });
  return [
    event('stock.movement', movement.movement_id),
    ...(promise ? [event(promise, `${movement.movement_id}.${promise}`)] : []),
    ...crossings.map((type) => event(type, `${movement.movement_id}.${type}`)),
    ...(atRisk ? [event('stock.promise_at_risk', `${movement.movement_id}.stock.promise_at_risk`)] : []),
  ];
}
