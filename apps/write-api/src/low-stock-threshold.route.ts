import type { RequestHandler, Router } from 'express';
import type { AccessControl } from '@inventory/service/access';
import { jsonBody, methodNotAllowed } from '@inventory/shared/http-server';
import { lowStockThresholdCommandSchema, parseInput, skuSchema, storeIdSchema } from '@inventory/domain/model';
import type { LowStockThresholdRepository } from '@inventory/events/low-stock';

/** `PUT /inventory/store/{storeId}/sku/{sku}/threshold` (operators, apps/README.md#events-and-webhooks): answers the threshold now in force. */
export function mountLowStockThresholdRoute(router: Router, access: AccessControl, thresholds: LowStockThresholdRepository): void {
  router
    .route('/inventory/store/:storeId/sku/:sku/threshold')
    .put(access.guard('put', '/inventory/store/{storeId}/sku/{sku}/threshold'), jsonBody(), (async (req, res) => {
      const store_id = parseInput(storeIdSchema, req.params['storeId'], 'storeId');
      const sku = parseInput(skuSchema, req.params['sku'], 'sku');
      const { low_stock_at } = parseInput(lowStockThresholdCommandSchema, req.body);
      await thresholds.set(store_id, sku, low_stock_at);
      res.json({ store_id, sku, low_stock_at });
    }) satisfies RequestHandler)
    .all(methodNotAllowed('PUT'));
}
