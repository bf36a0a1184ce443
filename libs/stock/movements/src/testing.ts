import type { StockMovement } from '@inventory/domain/model';
import type { MovementHistoryRepository } from './lib/movement-history.repository';

/** Every movement of a store, oldest first, through all pages of its listing. */
export async function allStoreMovements(history: MovementHistoryRepository, storeId: string): Promise<StockMovement[]> {
  const movements: StockMovement[] = [];
  let cursor: string | undefined;
  do {
    const page = await history.storeMovements(storeId, new Date(0).toISOString(), 500, cursor);
    movements.push(...page.movements);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return movements;
}

/** Every movement of one SKU, in version order. */
export async function skuMovements(history: MovementHistoryRepository, storeId: string, sku: string): Promise<StockMovement[]> {
  return (await allStoreMovements(history, storeId)).filter((movement) => movement.sku === sku).sort((a, b) => a.version - b.version);
}
