import { z } from 'zod';
import { LEDGER_REASONS } from './stock-movement';
import { STOCK_EVENT_TYPES } from './stock-event';
import { ALL_STORES, ROLES } from './access';
import { RESERVATION_STATES, TRANSFER_STATES } from './promises';

// What the APIs answer, as schemas: the OpenAPI document is generated from them and from the
// request schemas, and the contract test holds every answer to them. Unknown fields are refused
// (`strictObject`) so a field added to an answer must be added here too.

const whole = z.number().int();
const rfc3339 = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);

/** An item as the original answers it (`GET /inventory/store/{storeId}`). */
export const inventoryItemAnswer = z.strictObject({ store_id: z.string(), sku: z.string(), quantity: whole, updated_at: rfc3339 });

/** An item with its version (writes, a 409's `current`). */
export const versionedItemAnswer = inventoryItemAnswer.extend({ version: whole });

/** What every read adds to an item (apps/README.md#reservations-and-transfers). */
const promiseFields = {
  reserved: whole,
  available: whole,
  incoming: whole,
  safety_stock: whole,
  promised_at_risk: whole,
};

/** An item as reads answer it: on hand (`quantity`, as the original) and what is promised of it. */
export const storeItemAnswer = inventoryItemAnswer.extend(promiseFields);

/** A read item with its version (one-SKU reads, deltas, cross-store reads). */
export const versionedStoreItemAnswer = versionedItemAnswer.extend(promiseFields);

export const stockMovementAnswer = z.strictObject({
  movement_id: z.string(),
  store_id: z.string(),
  sku: z.string(),
  delta: whole,
  quantity_before: whole,
  quantity_after: whole,
  version: whole,
  reason: z.enum(LEDGER_REASONS),
  source: z.enum(['api', 'storm', 'reconcile']),
  reference: z.string().nullable(),
  actor: z.string(),
  on_behalf_of: z.string().nullable(),
  idempotency_key: z.string().nullable(),
  request_id: z.string().nullable(),
  at: rfc3339,
  shortfall: whole.optional(),
  reservation_id: z.string().optional(),
  transfer_id: z.string().optional(),
  reserved_before: whole.optional(),
  reserved_after: whole.optional(),
  incoming_before: whole.optional(),
  incoming_after: whole.optional(),
  safety_stock_before: whole.optional(),
  safety_stock: whole.optional(),
});

/** A stock write's answer: the stored item (an unknown SKU has no time yet only in a 409's `current`) and its movement. */
export const stockWriteAnswer = versionedItemAnswer.extend({ movement: stockMovementAnswer });

export const movementPageAnswer = z.strictObject({ movements: z.array(stockMovementAnswer), next_cursor: z.string().nullable() });

export const storeDeltaAnswer = z.strictObject({ store_version: whole, changes: z.array(versionedStoreItemAnswer) });

export const skuAcrossStoresAnswer = z.strictObject({ items: z.array(versionedStoreItemAnswer), missing: z.array(z.string()) });

const promisedItems = z.array(z.strictObject({ sku: z.string(), quantity: whole }));

export const reservationAnswer = z.strictObject({
  reservation_id: z.string(),
  store_id: z.string(),
  state: z.enum(RESERVATION_STATES),
  items: promisedItems,
  committed_items: promisedItems.optional(),
  expires_at: rfc3339,
  reference: z.string().nullable(),
  created_at: rfc3339,
  updated_at: rfc3339,
});

export const transferAnswer = z.strictObject({
  transfer_id: z.string(),
  from_store: z.string(),
  to_store: z.string(),
  state: z.enum(TRANSFER_STATES),
  items: promisedItems,
  received_items: promisedItems,
  reference: z.string().nullable(),
  created_at: rfc3339,
  updated_at: rfc3339,
});

export const safetyStockAnswer = z.strictObject({ store_id: z.string(), sku: z.string(), safety_stock: whole });

const currentItem = versionedItemAnswer.extend({ updated_at: rfc3339.nullable() });

/** One row of a batch's answer, in row order. */
const batchRowResult = z.strictObject({
  sku: z.string(),
  status: z.enum(['applied', 'rejected']),
  item: stockWriteAnswer.optional(),
  error: z.strictObject({ code: z.string(), message: z.string(), current: currentItem.optional() }).optional(),
});

export const batchWriteAnswer = z.strictObject({ results: z.array(batchRowResult) });

export const lowStockThresholdAnswer = z.strictObject({ store_id: z.string(), sku: z.string(), low_stock_at: whole.nullable() });

export const webhookAnswer = z.strictObject({
  webhook_id: z.string(),
  url: z.string(),
  events: z.array(z.enum(STOCK_EVENT_TYPES)),
  created_at: rfc3339,
});

const apiKeyFields = {
  key_id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  stores: z.union([z.literal(ALL_STORES), z.array(z.string())]),
  created_at: rfc3339,
  last_used_at: rfc3339.nullable(),
  revoked_at: rfc3339.nullable(),
  rotated_from: z.string().nullable(),
};

export const apiKeyAnswer = z.strictObject(apiKeyFields);

/** A new key: the only answer that shows its secret. */
export const apiKeyCreatedAnswer = z.strictObject({ ...apiKeyFields, secret: z.string().regex(/^invk_/) });

export const apiKeyListAnswer = z.strictObject({ api_keys: z.array(apiKeyAnswer) });

export const webhookListAnswer = z.strictObject({ webhooks: z.array(webhookAnswer) });

export const deadLettersAnswer = z.strictObject({
  queue: z.string(),
  dead_letters: z.array(
    z.strictObject({
      event_id: z.string(),
      type: z.enum(STOCK_EVENT_TYPES),
      store_id: z.string(),
      sku: z.string(),
      version: whole,
      attempts: whole,
      last_error: z.string(),
      failed_at: rfc3339.nullable(),
    }),
  ),
});

/** Every 4xx/5xx: a stable code, a message, the fields at fault, and what a conflict found. */
export const errorAnswer = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.array(z.strictObject({ field: z.string(), problem: z.string() })).optional(),
    current: currentItem.optional(),
    results: z.array(batchRowResult).optional(),
    store_version: whole.optional(),
    allowed: z.array(z.string()).optional(),
    permission: z.string().optional(),
    stores: z.array(z.string()).optional(),
    /** `INSUFFICIENT_AVAILABLE`: each short SKU, what was asked and what is available. */
    items: z.array(z.strictObject({ sku: z.string(), requested: whole, available: whole })).optional(),
    /** `RESERVATION_NOT_HELD`, `TRANSFER_NOT_IN_TRANSIT`: the state it is in. */
    state: z.enum([...RESERVATION_STATES, ...TRANSFER_STATES]).optional(),
  }),
  request_id: z.string(),
});

export const healthAnswer = z.strictObject({ status: z.literal('healthy'), service: z.string(), app: z.string(), timestamp: rfc3339 });

const stormParameters = z.strictObject({
  duration_seconds: whole,
  target_cpu: whole,
  stores: whole,
  skus_per_store: whole,
  manifest_seed: whole,
  change_ratio: z.number(),
});

export const stormStartedAnswer = z.strictObject({
  storm_id: z.string(),
  state: z.literal('running'),
  status_url: z.string(),
  dashboard_url: z.string(),
  deadline: rfc3339,
  parameters: stormParameters,
});

export const stormStatusAnswer = z.strictObject({
  storm_id: z.string(),
  state: z.enum(['running', 'completed', 'stopped', 'failed']),
  parameters: stormParameters,
  started_at: rfc3339,
  counted_at: rfc3339,
  deadline: rfc3339,
  finished_at: rfc3339.optional(),
  stores_total: whole,
  stores_done: whole,
  stores_partial: whole,
  skus_checked: whole,
  skus_written: whole,
  skus_unchanged: whole,
  shortfalls: whole,
  promises_at_risk: whole,
  errors: whole,
  elapsed_seconds: z.number(),
});

/** The storm page's data (`GET /admin/storms/data`): each storm's record and its moments. */
export const stormPageAnswer = z.strictObject({
  storms: z.array(
    z.strictObject({
      record: stormStatusAnswer.omit({ elapsed_seconds: true }),
      moments: z.array(
        z.strictObject({
          t: z.number(),
          stores_done: whole,
          skus_checked: whole,
          skus_written: whole,
          errors: whole,
          cpu_percent: z.number(),
          workers: whole,
        }),
      ),
    }),
  ),
});
