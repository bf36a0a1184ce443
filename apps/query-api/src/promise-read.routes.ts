import type { Request, Response, Router } from 'express';
import { methodNotAllowed } from '@inventory/shared/http-server';
import { parseInput, promiseIdSchema } from '@inventory/domain/model';
import type { PromiseContext, PromiseViews } from '@inventory/stock/promises';
import { type AccessControl, assertStores, requestPrincipal } from '@inventory/service/access';

/**
 * `GET /inventory/reservations/{reservationId}` and `GET /inventory/transfers/{transferId}`
 * (apps/README.md#reservations-and-transfers): strongly consistent; a caller without the record's
 * stores gets 403 naming them, an id never issued 404.
 */
export function mountPromiseReads(router: Router, views: PromiseViews, access: AccessControl): void {
  const reads = [
    ['reservations', 'reservationId', (id: string, context: PromiseContext) => views.reservation(id, context)],
    ['transfers', 'transferId', (id: string, context: PromiseContext) => views.transfer(id, context)],
  ] as const;
  for (const [collection, param, read] of reads) {
    router
      .route(`/inventory/${collection}/:${param}`)
      .get(access.guard('get', `/inventory/${collection}/{${param}}`), async (req: Request, res: Response) => {
        const id = parseInput(promiseIdSchema, req.params[param], param);
        res.json(await read(id, { assertStores: (stores) => assertStores(requestPrincipal(req), stores) }));
      })
      .all(methodNotAllowed('GET', 'HEAD'));
  }
}
