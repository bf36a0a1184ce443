import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { type AccessControl, assertStores, requestPrincipal } from '@inventory/service/access';
import { jsonBody, methodNotAllowed, type RateLimit, sendJson } from '@inventory/shared/http-server';
import {
  actorOf,
  commitReservationSchema,
  createReservationSchema,
  createTransferSchema,
  extendReservationSchema,
  parseInput,
  promiseIdSchema,
  receiveTransferSchema,
  safetyStockCommandSchema,
  skuSchema,
  storeIdSchema,
  writeHeadersSchema,
} from '@inventory/domain/model';
import { type PromiseContext, type Promises, setSafetyStock } from '@inventory/stock/promises';

interface PromiseRouteOptions {
  access: AccessControl;
  writeLimit: RateLimit;
}

/** Who asks, under which key, for which stores (checked by the promise once it knows them): as a stock write's context. */
function promiseContext(req: Request): PromiseContext {
  const principal = requestPrincipal(req);
  const headers = parseInput(
    writeHeadersSchema,
    { 'Idempotency-Key': req.headers['idempotency-key'], 'X-Actor': req.headers['x-actor'] },
    'headers',
  );
  return {
    actor: actorOf(principal),
    onBehalfOf: headers['X-Actor'],
    idempotencyKey: headers['Idempotency-Key'],
    requestId: String(req.id ?? ''),
    logger: req.log,
    assertStores: (storeIds) => assertStores(principal, storeIds),
  };
}

/** A body that may be absent (a release needs none): absent reads as `{}`. */
const bodyOf = <S extends z.ZodType>(schema: S, req: Request): z.output<S> => parseInput(schema, req.body ?? {});

type Call = (req: Request, context: PromiseContext) => Promise<{ answer: unknown; replayed: boolean }>;

/**
 * One promise route (apps/README.md#reservations-and-transfers): its guard (permission; the stores
 * are checked by the call, from the body or the record), the write limit, a JSON body, the headers
 * of a keyed write; answers `status` (a replay says so in `Idempotent-Replayed`).
 */
function mount(
  router: Router,
  path: string,
  contractPath: string,
  status: number,
  call: Call,
  { access, writeLimit }: PromiseRouteOptions,
) {
  router
    .route(path)
    .post(access.guard('post', contractPath), writeLimit.middleware, ...jsonBody(), (async (req: Request, res: Response) => {
      const outcome = await call(req, promiseContext(req));
      if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
      sendJson(res, status, outcome.answer);
    }) satisfies RequestHandler)
    .all(methodNotAllowed('POST'));
}

const idOf = (req: Request, param: 'reservationId' | 'transferId') => parseInput(promiseIdSchema, req.params[param], param);

/** Reservations, transfers and safety stock (write-api). */
export function mountPromiseRoutes(router: Router, promises: Promises, options: PromiseRouteOptions): void {
  const { reservations, transfers } = promises;
  mount(
    router,
    '/inventory/reservations',
    '/inventory/reservations',
    201,
    (req, context) => reservations.create(bodyOf(createReservationSchema, req), context),
    options,
  );
  mount(
    router,
    '/inventory/reservations/:reservationId/commit',
    '/inventory/reservations/{reservationId}/commit',
    200,
    (req, context) => reservations.commit(idOf(req, 'reservationId'), bodyOf(commitReservationSchema, req), context),
    options,
  );
  mount(
    router,
    '/inventory/reservations/:reservationId/release',
    '/inventory/reservations/{reservationId}/release',
    200,
    (req, context) => reservations.release(idOf(req, 'reservationId'), context),
    options,
  );
  mount(
    router,
    '/inventory/reservations/:reservationId/extend',
    '/inventory/reservations/{reservationId}/extend',
    200,
    (req, context) => reservations.extend(idOf(req, 'reservationId'), bodyOf(extendReservationSchema, req).expires_in_seconds, context),
    options,
  );
  mount(
    router,
    '/inventory/transfers',
    '/inventory/transfers',
    201,
    (req, context) => transfers.create(bodyOf(createTransferSchema, req), context),
    options,
  );
  mount(
    router,
    '/inventory/transfers/:transferId/receive',
    '/inventory/transfers/{transferId}/receive',
    200,
    (req, context) => transfers.receive(idOf(req, 'transferId'), bodyOf(receiveTransferSchema, req).items, context),
    options,
  );
  mount(
    router,
    '/inventory/transfers/:transferId/cancel',
    '/inventory/transfers/{transferId}/cancel',
    200,
    (req, context) => transfers.cancel(idOf(req, 'transferId'), context),
    options,
  );

  router
    .route('/inventory/store/:storeId/sku/:sku/safety-stock')
    .put(options.access.guard('put', '/inventory/store/{storeId}/sku/{sku}/safety-stock'), ...jsonBody(), (async (req, res) => {
      const storeId = parseInput(storeIdSchema, req.params['storeId'], 'storeId');
      const sku = parseInput(skuSchema, req.params['sku'], 'sku');
      const { safety_stock } = parseInput(safetyStockCommandSchema, req.body);
      res.json(await setSafetyStock(promises.ledger, storeId, sku, safety_stock, promiseContext(req)));
    }) satisfies RequestHandler)
    .all(methodNotAllowed('PUT'));
}
