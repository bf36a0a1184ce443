import type { Request, Response, Router } from 'express';
import { methodNotAllowed } from '@inventory/shared/http-server';
import { parseInput, skuMovementsQuerySchema, skuSchema, storeIdSchema, storeMovementsQuerySchema } from '@inventory/domain/model';
import type { MovementHistoryRepository } from '@inventory/stock/movements';
import type { AccessControl } from '@inventory/service/access';

/** Before anything is kept: a store's movements "from the beginning". */
const BEGINNING = new Date(0).toISOString();

/**
 * `GET /inventory/store/{storeId}/sku/{sku}/movements` (newest first) and
 * `GET /inventory/store/{storeId}/movements` (oldest first from `since`), paged by cursor (apps/README.md#stock-movements).
 */
export function mountMovementHistory(router: Router, history: MovementHistoryRepository, access: AccessControl): void {
  router
    .route('/inventory/store/:storeId/sku/:sku/movements')
    .get(access.guard('get', '/inventory/store/{storeId}/sku/{sku}/movements'), async (req: Request, res: Response) => {
      const storeId = parseInput(storeIdSchema, req.params['storeId'], 'storeId');
      const sku = parseInput(skuSchema, req.params['sku'], 'sku');
      const query = parseInput(skuMovementsQuerySchema, req.query, 'query');
      res.json(await history.skuMovements(storeId, sku, query.limit, query.cursor));
    })
    .all(methodNotAllowed('GET', 'HEAD'));
  router
    .route('/inventory/store/:storeId/movements')
    .get(access.guard('get', '/inventory/store/{storeId}/movements'), async (req: Request, res: Response) => {
      const storeId = parseInput(storeIdSchema, req.params['storeId'], 'storeId');
      const query = parseInput(storeMovementsQuerySchema, req.query, 'query');
      res.json(await history.storeMovements(storeId, query.since ?? BEGINNING, query.limit, query.cursor));
    })
    .all(methodNotAllowed('GET', 'HEAD'));
}
