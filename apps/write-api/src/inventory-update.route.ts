import { type DirectRoute, jsonRoute } from '@inventory/http-server';
import { parseInput, updateInventoryCommandSchema } from '@inventory/domain';
import type { InventoryUpdater } from '@inventory/inventory-service';

/** `POST /inventory/update`: validates, stores, updates counters and cache; answers the stored item. */
export function inventoryUpdateRoute(updater: InventoryUpdater): DirectRoute {
  return jsonRoute('/inventory/update', async (body, req) => updater.update(parseInput(updateInventoryCommandSchema, body), req.log));
}
