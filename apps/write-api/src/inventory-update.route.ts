import type { JsonRoute } from '@inventory/http-server';
import { parseInput, updateInventoryCommandSchema } from '@inventory/domain';
import type { InventoryUpdater } from '@inventory/inventory-service';

/** `POST /inventory/update`: validates, stores, updates counters and cache; answers the stored item. */
export function inventoryUpdateRoute(updater: InventoryUpdater): JsonRoute {
  return {
    method: 'POST',
    path: '/inventory/update',
    handle: async (body, req) => updater.update(parseInput(updateInventoryCommandSchema, body), req.log),
  };
}
