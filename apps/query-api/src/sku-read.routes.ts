import type { Request, Response, Router } from 'express';
import { methodNotAllowed } from '@inventory/shared/http-server';
import { parseInput, skuAcrossStoresQuerySchema, skuSchema, storeIdSchema } from '@inventory/domain/model';
import type { SkuReader } from '@inventory/stock/store-read';

/** `GET /inventory/store/{storeId}/sku/{sku}` (one item, with its version) and `GET /inventory/sku/{sku}?stores=…` (apps/README.md#http-contract). */
export function mountSkuReads(router: Router, skus: SkuReader): void {
  router
    .route('/inventory/store/:storeId/sku/:sku')
    .get(async (req: Request, res: Response) => {
      const storeId = parseInput(storeIdSchema, req.params['storeId'], 'storeId');
      const sku = parseInput(skuSchema, req.params['sku'], 'sku');
      res.json(await skus.item(storeId, sku));
    })
    .all(methodNotAllowed('GET', 'HEAD'));
  router
    .route('/inventory/sku/:sku')
    .get(async (req: Request, res: Response) => {
      const sku = parseInput(skuSchema, req.params['sku'], 'sku');
      const { stores } = parseInput(skuAcrossStoresQuerySchema, req.query, 'query');
      res.json(await skus.acrossStores(sku, stores));
    })
    .all(methodNotAllowed('GET', 'HEAD'));
}
