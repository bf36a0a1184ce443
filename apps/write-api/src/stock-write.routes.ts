import type { z } from 'zod';
import { type DirectRoute, jsonBody, type RateLimit, sendJson } from '@inventory/shared/http-server';
import {
  adjustInventoryCommandSchema,
  batchWriteCommandSchema,
  parseInput,
  updateInventoryCommandSchema,
  writeHeadersSchema,
} from '@inventory/domain/model';
import type { BatchWriter, InventoryUpdater, WriteContext } from '@inventory/stock/store-update';

/**
 * A stock write: the body validated by `schema`, the `Idempotency-Key` and `X-Actor` headers
 * checked (apps/README.md#stock-movements), the rate limit before the body is read. Answers the stored item with its
 * movement; a replay of a keyed request says so in `Idempotent-Replayed`.
 */
function stockWriteRoute<S extends z.ZodType>(
  path: string,
  schema: S,
  write: (command: z.output<S>, context: WriteContext) => Promise<{ answer: unknown; replayed: boolean }>,
  writeLimit: RateLimit,
): DirectRoute {
  return {
    method: 'POST',
    path,
    middleware: [writeLimit.middleware, ...jsonBody()],
    handle: async (req, res) => {
      const command = parseInput(schema, req.body);
      const headers = parseInput(
        writeHeadersSchema,
        { 'Idempotency-Key': req.headers['idempotency-key'], 'X-Actor': req.headers['x-actor'] },
        'headers',
      );
      const outcome = await write(command, {
        actor: headers['X-Actor'],
        idempotencyKey: headers['Idempotency-Key'],
        requestId: String(req.id ?? ''),
        logger: req.log,
      });
      if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
      sendJson(res, 200, outcome.answer);
    },
  };
}

/** `POST /inventory/update`, `POST /inventory/adjust` and `POST /inventory/batch`. */
export function stockWriteRoutes(updater: InventoryUpdater, batches: BatchWriter, writeLimit: RateLimit): DirectRoute[] {
  return [
    stockWriteRoute('/inventory/update', updateInventoryCommandSchema, (command, context) => updater.update(command, context), writeLimit),
    stockWriteRoute('/inventory/adjust', adjustInventoryCommandSchema, (command, context) => updater.adjust(command, context), writeLimit),
    stockWriteRoute('/inventory/batch', batchWriteCommandSchema, (command, context) => batches.write(command, context), writeLimit),
  ];
}
