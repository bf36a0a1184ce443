import type { z } from 'zod';
import { type DirectRoute, jsonBody, type RateLimit, sendJson } from '@inventory/shared/http-server';
import {
  actorOf,
  adjustInventoryCommandSchema,
  batchWriteCommandSchema,
  parseInput,
  updateInventoryCommandSchema,
  writeHeadersSchema,
} from '@inventory/domain/model';
import type { BatchWriter, InventoryUpdater, WriteContext } from '@inventory/stock/store-update';
import { type AccessControl, assertPermission, assertStores, requestPrincipal } from '@inventory/service/access';

/** Sales and returns are what a till may do; any other adjust needs `stock:write` (apps/README.md#access-control). */
const TILL_REASONS: ReadonlySet<string> = new Set(['sale', 'return']);

/**
 * A stock write: the caller authenticated and its permission checked before anything else, then
 * the rate limit (on the principal) before the body is read; the body validated by `schema`, its
 * store checked against the principal's, the `Idempotency-Key` and `X-Actor` headers checked
 * (apps/README.md#stock-movements). The movement's `actor` is the principal; `X-Actor` only its
 * `on_behalf_of`. Answers the stored item with its movement; a replay of a keyed request says so
 * in `Idempotent-Replayed`.
 */
function stockWriteRoute<S extends z.ZodType<{ store_id: string }>>(
  path: string,
  schema: S,
  write: (command: z.output<S>, context: WriteContext) => Promise<{ answer: unknown; replayed: boolean }>,
  { access, writeLimit }: StockWriteRouteOptions,
): DirectRoute {
  return {
    method: 'POST',
    path,
    middleware: [access.guard('post', path), writeLimit.middleware, ...jsonBody()],
    handle: async (req, res) => {
      const command = parseInput(schema, req.body);
      const principal = requestPrincipal(req);
      assertStores(principal, [command.store_id]);
      const reason = (command as { reason?: string }).reason ?? 'correction';
      if ('delta' in command && !TILL_REASONS.has(reason)) assertPermission(principal, 'stock:write');
      const headers = parseInput(
        writeHeadersSchema,
        { 'Idempotency-Key': req.headers['idempotency-key'], 'X-Actor': req.headers['x-actor'] },
        'headers',
      );
      const outcome = await write(command, {
        actor: actorOf(principal),
        onBehalfOf: headers['X-Actor'],
        idempotencyKey: headers['Idempotency-Key'],
        requestId: String(req.id ?? ''),
        logger: req.log,
      });
      if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
      sendJson(res, 200, outcome.answer);
    },
  };
}

interface StockWriteRouteOptions {
  access: AccessControl;
  writeLimit: RateLimit;
}

/** `POST /inventory/update`, `POST /inventory/adjust` and `POST /inventory/batch`. */
export function stockWriteRoutes(updater: InventoryUpdater, batches: BatchWriter, options: StockWriteRouteOptions): DirectRoute[] {
  return [
    stockWriteRoute('/inventory/update', updateInventoryCommandSchema, (command, context) => updater.update(command, context), options),
    stockWriteRoute('/inventory/adjust', adjustInventoryCommandSchema, (command, context) => updater.adjust(command, context), options),
    stockWriteRoute('/inventory/batch', batchWriteCommandSchema, (command, context) => batches.write(command, context), options),
  ];
}
