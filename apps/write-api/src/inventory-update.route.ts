import type { RequestHandler } from 'express';
import { parseInput, updateInventoryCommandSchema } from '@inventory/domain';
import type { InventoryUpdater } from '@inventory/inventory-service';

/** `POST /inventory/update`: validates, stores, updates counters and cache; answers the stored item. */
export function postInventoryUpdate(updater: InventoryUpdater): RequestHandler {
  return async (req, res) => {
    const command = parseInput(updateInventoryCommandSchema, req.body);
    const stored = await updater.update(command, req.log);
    res.status(200).json(stored);
  };
}
