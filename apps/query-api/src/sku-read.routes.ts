import type { Request, Response, Router } from 'express';
import { methodNotAllowed } from '@inventory/shared/http-server';
import { parseInput, skuAcrossStoresQuerySchema, skuSchema, storeChangesQuerySchema, storeIdSchema } from '@inventory/domain/model';
import type { SkuReader, StoreDeltaReader } from '@inventory/stock/store-read';
import { type AccessControl, assertStores, requestPrincipal } from '@inventory/service/access';

/**
 * `GET /inventory/store/{storeId}/sku/{sku}` (one item, with its version) and `GET /inventory/sku/{sku}?stores=…`
 * (apps/README.md#http-contract); a cross-store read naming a store the caller may not read is a 403 naming it.
 */
export function mountSkuReads(router: Router, skus: SkuReader, access: AccessControl): void {
  router
    .route('/inventory/store/:storeId/sku/:sku')
    .get(access.guard('get', '/inventory/store/{storeId}/sku/{sku}'), async (req: Request, res: Response) => {
      const storeId = parseInput(storeIdSchema, req.params['storeId'], 'storeId');
      const sku = parseInput(skuSchema, req.params['sku'], 'sku');
      res.json(await skus.item(storeId, sku));
    })
    .all(methodNotAllowed('GET', 'HEAD'));
  router
    .route('/inventory/sku/:sku')
    .get(access.guard('get', '/inventory/sku/{sku}'), async (req: Request, res: Response) => {
      const sku = parseInput(skuSchema, req.params['sku'], 'sku');
      const { stores } = parseInput(skuAcrossStoresQuerySchema, req.query, 'query');
      assertStores(requestPrincipal(req), stores);
      res.json(await skus.acrossStores(sku, stores));
    })
    .all(methodNotAllowed('GET', 'HEAD'));
}

/**
 * `GET /inventory/store/{storeId}/changes?since_version=N` (apps/README.md#http-contract): only what
 * changed after version N, with the store's version now in `X-Store-Version`.
 */
export function mountStoreChanges(router: Router, deltas: StoreDeltaReader, access: AccessControl): void {
  router
    .route('/inventory/store/:storeId/changes')
    .get(access.guard('get', '/inventory/store/{storeId}/changes'), async (req: Request, res: Response) => {
      const storeId = parseInput(storeIdSchema, req.params['storeId'], 'storeId');
      const { since_version } = parseInput(storeChangesQuerySchema, req.query, 'query');
      const delta = await deltas.changesSince(storeId, since_version);
      res.set('X-Store-Version', String(delta.store_version));
      res.set('Cache-Control', 'no-cache');
      res.json(delta);
    })
    .all(methodNotAllowed('GET', 'HEAD'));
}
