import { type DirectRoute, jsonRoute, type RateLimit } from '@inventory/shared/http-server';
import { parseInput, updateInventoryCommandSchema } from '@inventory/domain/model';
import type { InventoryUpdater } from '@inventory/stock/store-update';

/** `POST /inventory/update`: validates, stores, updates counters and cache; answers the stored item. */
export function inventoryUpdateRoute(updater: InventoryUpdater, writeLimit: RateLimit): DirectRoute {
  return jsonRoute('/inventory/update', async (body, req) => updater.update(parseInput(updateInventoryCommandSchema, body), req.log), [
    writeLimit.middleware,
  ]);
}
