import { z } from 'zod';
import {
  type Permission,
  apiKeyCreatedAnswer,
  apiKeyListAnswer,
  apiKeyRequestSchema,
  batchWriteAnswer,
  deadLettersAnswer,
  errorAnswer,
  lowStockThresholdAnswer,
  webhookAnswer,
  webhookListAnswer,
  healthAnswer,
  storeItemAnswer,
  versionedStoreItemAnswer,
  reservationAnswer,
  transferAnswer,
  safetyStockAnswer,
  createReservationSchema,
  commitReservationSchema,
  extendReservationSchema,
  safetyStockCommandSchema,
  createTransferSchema,
  receiveTransferSchema,
  promiseIdSchema,
  movementPageAnswer,
  skuAcrossStoresAnswer,
  stockWriteAnswer,
  storeDeltaAnswer,
  stormStartedAnswer,
  stormPageAnswer,
  stormStatusAnswer,
  skuSchema,
  storeIdSchema,
  skuMovementsQuerySchema,
  storeMovementsQuerySchema,
  stormRequestSchema,
  skuAcrossStoresQuerySchema,
  storeReadQuerySchema,
  storeChangesQuerySchema,
  adjustInventoryCommandSchema,
  updateInventoryCommandSchema,
  writeHeadersSchema,
  batchWriteCommandSchema,
  lowStockThresholdCommandSchema,
  webhookRegistrationSchema,
} from '@inventory/domain/model';

type App = 'query-api' | 'write-api';

/**
 * Who may call a route (apps/README.md#access-control): the permission it needs (`public`: anyone,
 * even without a credential) and where its store is named, which the principal must be allowed:
 * in the path (checked by the guard), the body or the query (checked by the route once parsed).
 */
export interface AccessRule {
  permission: Permission | 'public';
  /** `record`: the reservation's or transfer's stores, checked once it is read, before anything changes. */
  store?: 'path' | 'body' | 'query' | 'record';
}

interface Answer {
  description: string;
  /** JSON unless `contentType` says otherwise; absent: no body. */
  schema?: z.ZodType;
  contentType?: string;
}

/** One route as the ingress serves it: the schemas that validate its input, and every answer it gives. */
export interface ApiOperation {
  app: App;
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI path template, e.g. `/inventory/store/{storeId}`. */
  path: string;
  /** What a generated client names the call: a camelCase verb and noun (`adjustStock`). */
  operationId: string;
  summary: string;
  access: AccessRule;
  pathParams?: z.ZodObject;
  query?: z.ZodType;
  headers?: z.ZodObject;
  body?: z.ZodType;
  answers: Record<string, Answer>;
}

const failed = (description: string): Answer => ({ description, schema: errorAnswer });
const json = (description: string, schema: z.ZodType): Answer => ({ description, schema });
const BAD_INPUT = failed('bad input: `error.details` names each field and its problem');
const UNAVAILABLE = failed('a dependency is unavailable (`Retry-After`); nothing was changed');
const storePath = z.object({ storeId: storeIdSchema });
const webhookPath = z.object({ webhookId: z.string() });
const keyPath = z.object({ keyId: z.string() });
const skuPath = z.object({ storeId: storeIdSchema, sku: skuSchema });
const writeAnswers: Record<string, Answer> = {
  '200': json(
    'the stored item with its version and its movement (also the replay of a keyed request, `Idempotent-Replayed: true`)',
    stockWriteAnswer,
  ),
  '400': BAD_INPUT,
  '409': failed('`INSUFFICIENT_STOCK`, `STALE_QUANTITY`, `QUANTITY_OVER_LIMIT` (with `current`), or `IDEMPOTENCY_KEY_IN_USE`'),
  '413': failed('body over 64 KB'),
  '415': failed('body not JSON'),
  '422': failed('`IDEMPOTENCY_KEY_REUSED`: the key was used with another request'),
  '429': failed('over the write limit (`Retry-After`)'),
  '503': UNAVAILABLE,
};

const reservationPath = z.object({ reservationId: promiseIdSchema });
const transferPath = z.object({ transferId: promiseIdSchema });

/** What every keyed reservation or transfer call may answer besides its success and its 409s. */
const PROMISE_ANSWERS: Record<string, Answer> = {
  '400': BAD_INPUT,
  '404': failed('no such id'),
  '413': failed('body over 64 KB'),
  '415': failed('body not JSON'),
  '422': failed('`IDEMPOTENCY_KEY_REUSED`: the key was used with another request'),
  '429': failed('over the write limit (`Retry-After`)'),
  '503': UNAVAILABLE,
};

function reservationStep(step: 'commit' | 'release' | 'extend', summary: string, body?: z.ZodType): ApiOperation {
  return {
    app: 'write-api',
    method: 'post',
    path: `/inventory/reservations/{reservationId}/${step}`,
    operationId: `${step}Reservation`,
    summary,
    access: { permission: 'stock:sell', store: 'record' },
    pathParams: reservationPath,
    headers: writeHeadersSchema,
    ...(body ? { body } : {}),
    answers: {
      ...PROMISE_ANSWERS,
      '200': json(
        `the reservation, ${step === 'extend' ? 'with its new expiry' : 'ended'} (also the replay of a keyed request)`,
        reservationAnswer,
      ),
      '409': failed(
        '`RESERVATION_EXPIRED` (past its expiry: its units are released), `RESERVATION_NOT_HELD` (`error.state`), or `IDEMPOTENCY_KEY_IN_USE`',
      ),
    },
  };
}

function transferStep(step: 'receive' | 'cancel', summary: string, body?: z.ZodType): ApiOperation {
  return {
    app: 'write-api',
    method: 'post',
    path: `/inventory/transfers/{transferId}/${step}`,
    operationId: `${step}Transfer`,
    summary,
    access: { permission: 'stock:write', store: 'record' },
    pathParams: transferPath,
    headers: writeHeadersSchema,
    ...(body ? { body } : {}),
    answers: {
      ...PROMISE_ANSWERS,
      '200': json(
        `the transfer, ${step === 'receive' ? '`received` or `partially_received`' : '`cancelled`'} (also the replay of a keyed request)`,
        transferAnswer,
      ),
      '409': failed('`TRANSFER_NOT_IN_TRANSIT` (`error.state`: nothing is outstanding), or `IDEMPOTENCY_KEY_IN_USE`'),
    },
  };
}

/** A public part of the API reference page (`GET /docs`): a page or a script, not JSON. */
function referencePage(path: string, operationId: string, summary: string, contentType: string): ApiOperation {
  return {
    app: 'query-api',
    method: 'get',
    path,
    operationId,
    summary,
    access: { permission: 'public' },
    answers: { '200': { description: summary, contentType } },
  };
}

/** Every route of the platform, for the OpenAPI document and its contract test. */
export const API_OPERATIONS: ApiOperation[] = [
  {
    app: 'query-api',
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'liveness',
    access: { permission: 'public' },
    answers: { '200': json('the process answers', healthAnswer) },
  },
  {
    app: 'query-api',
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'this document',
    access: { permission: 'public' },
    answers: { '200': json('OpenAPI 3.1', z.looseObject({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) })) },
  },
  referencePage('/docs', 'getApiReference', 'this document for people: the API reference page (Scalar, served by the app)', 'text/html'),
  referencePage('/docs/init.js', 'getApiReferenceInit', "the reference page's own script: renders /openapi.json", 'text/javascript'),
  referencePage(
    '/docs/api-reference.js',
    'getApiReferenceRenderer',
    "the reference page's renderer (Scalar's standalone bundle, from npm)",
    'text/javascript',
  ),
  {
    app: 'query-api',
    method: 'get',
    path: '/inventory/store/{storeId}',
    operationId: 'getStoreInventory',
    summary: 'a store: whole (as the original), or one page (`limit`, `cursor`)',
    access: { permission: 'stock:read', store: 'path' },
    pathParams: storePath,
    query: storeReadQuerySchema,
    answers: {
      '200': json('the items in SKU order (whole or a page, `Link: rel="next"` while more remain)', z.array(storeItemAnswer)),
      '304': { description: '`If-None-Match` holds the current ETag' },
      '308': { description: 'with `since_version` (deprecated): the delta read moved, `Location` names it (getStoreChanges)' },
      '400': BAD_INPUT,
      '503': UNAVAILABLE,
    },
  },
  {
    app: 'query-api',
    method: 'get',
    path: '/inventory/store/{storeId}/changes',
    operationId: 'getStoreChanges',
    summary: "what changed in a store after a version (`since_version`, from a read's `X-Store-Version`)",
    access: { permission: 'stock:read', store: 'path' },
    pathParams: storePath,
    query: storeChangesQuerySchema,
    answers: {
      '200': json("each SKU changed after the version, as it is now, and the store's version now", storeDeltaAnswer),
      '400': BAD_INPUT,
      '410': failed('`SINCE_VERSION_EXPIRED`: read the whole store again (`error.store_version`)'),
      '503': UNAVAILABLE,
    },
  },
  {
    app: 'query-api',
    method: 'get',
    path: '/inventory/store/{storeId}/sku/{sku}',
    operationId: 'getStoreSku',
    summary: 'one SKU with its version',
    access: { permission: 'stock:read', store: 'path' },
    pathParams: skuPath,
    answers: {
      '200': json('the item', versionedStoreItemAnswer),
      '400': BAD_INPUT,
      '404': failed('the store holds no such SKU'),
      '503': UNAVAILABLE,
    },
  },
  {
    app: 'query-api',
    method: 'get',
    path: '/inventory/sku/{sku}',
    operationId: 'getSkuAcrossStores',
    summary: 'one SKU across up to 100 stores',
    access: { permission: 'stock:read', store: 'query' },
    pathParams: z.object({ sku: skuSchema }),
    query: skuAcrossStoresQuerySchema,
    answers: {
      '200': json('the stores holding it, in the order asked, and the others', skuAcrossStoresAnswer),
      '400': BAD_INPUT,
      '503': UNAVAILABLE,
    },
  },
  {
    app: 'query-api',
    method: 'get',
    path: '/inventory/store/{storeId}/sku/{sku}/movements',
    operationId: 'listSkuMovements',
    summary: "a SKU's movements, newest first",
    access: { permission: 'movements:read', store: 'path' },
    pathParams: skuPath,
    query: skuMovementsQuerySchema,
    answers: { '200': json('a page', movementPageAnswer), '400': BAD_INPUT, '503': UNAVAILABLE },
  },
  {
    app: 'query-api',
    method: 'get',
    path: '/inventory/store/{storeId}/movements',
    operationId: 'listStoreMovements',
    summary: "a store's movements from a time, oldest first",
    access: { permission: 'movements:read', store: 'path' },
    pathParams: storePath,
    query: storeMovementsQuerySchema,
    answers: { '200': json('a page', movementPageAnswer), '400': BAD_INPUT, '503': UNAVAILABLE },
  },
  {
    app: 'write-api',
    method: 'post',
    path: '/inventory/update',
    operationId: 'updateStock',
    summary: 'set a quantity (optionally compare-and-swap)',
    access: { permission: 'stock:write', store: 'body' },
    headers: writeHeadersSchema,
    body: updateInventoryCommandSchema,
    answers: writeAnswers,
  },
  {
    app: 'write-api',
    method: 'post',
    path: '/inventory/adjust',
    operationId: 'adjustStock',
    summary: 'add or remove units atomically, never below 0',
    access: { permission: 'stock:sell', store: 'body' },
    headers: writeHeadersSchema,
    body: adjustInventoryCommandSchema,
    answers: writeAnswers,
  },
  {
    app: 'write-api',
    method: 'post',
    path: '/inventory/batch',
    operationId: 'writeStockBatch',
    summary: 'many sets and adjusts of one store: all or none (`reject_all`, ≤ 99 rows) or row by row (`reject_failed_rows`, ≤ 1,000)',
    access: { permission: 'stock:write', store: 'body' },
    headers: writeHeadersSchema,
    body: batchWriteCommandSchema,
    answers: {
      ...writeAnswers,
      '200': json('each row applied or rejected, in row order (also the replay of a keyed request)', batchWriteAnswer),
      '409': failed('`BATCH_REJECTED` (reject_all: nothing applied, `error.results` says why row by row) or `IDEMPOTENCY_KEY_IN_USE`'),
    },
  },
  {
    app: 'write-api',
    method: 'put',
    path: '/inventory/store/{storeId}/sku/{sku}/threshold',
    operationId: 'setLowStockThreshold',
    summary: "set (or with null remove) a SKU's low-stock threshold: events stock.low, stock.out, stock.restored",
    access: { permission: 'thresholds:write', store: 'path' },
    pathParams: skuPath,
    body: lowStockThresholdCommandSchema,
    answers: {
      '200': json('the threshold now in force', lowStockThresholdAnswer),
      '400': BAD_INPUT,
      '415': failed('body not JSON'),
      '503': UNAVAILABLE,
    },
  },
  {
    app: 'write-api',
    method: 'put',
    path: '/inventory/store/{storeId}/sku/{sku}/safety-stock',
    operationId: 'setSafetyStock',
    summary: "set a SKU's safety stock: units kept out of `available`",
    access: { permission: 'safety-stock:write', store: 'path' },
    pathParams: skuPath,
    body: safetyStockCommandSchema,
    answers: {
      '200': json('the safety stock now in force', safetyStockAnswer),
      '400': BAD_INPUT,
      '415': failed('body not JSON'),
      '503': UNAVAILABLE,
    },
  },
  {
    app: 'write-api',
    method: 'post',
    path: '/inventory/reservations',
    operationId: 'createReservation',
    summary: 'hold units of one store against `available`, all items or none, until `expires_in_seconds`',
    access: { permission: 'stock:sell', store: 'body' },
    headers: writeHeadersSchema,
    body: createReservationSchema,
    answers: {
      ...PROMISE_ANSWERS,
      '201': json('the reservation, held (also the replay of a keyed request)', reservationAnswer),
      '409': failed('`INSUFFICIENT_AVAILABLE` (`error.items`: each short SKU, requested and available), or `IDEMPOTENCY_KEY_IN_USE`'),
    },
  },
  {
    app: 'query-api',
    method: 'get',
    path: '/inventory/reservations/{reservationId}',
    operationId: 'getReservation',
    summary: 'a reservation (`expired` once past its expiry)',
    access: { permission: 'stock:read', store: 'record' },
    pathParams: reservationPath,
    answers: {
      '200': json('the reservation', reservationAnswer),
      '400': BAD_INPUT,
      '404': failed('no such reservation'),
      '503': UNAVAILABLE,
    },
  },
  reservationStep('commit', 'sell the units given (default: all held); the rest is released', commitReservationSchema),
  reservationStep('release', 'give every held unit back to available'),
  reservationStep('extend', 'a new expiry, counted from now', extendReservationSchema),
  {
    app: 'write-api',
    method: 'post',
    path: '/inventory/transfers',
    operationId: 'createTransfer',
    summary: "ship units from one store to another: off the source's shelf, `incoming` at the destination, in one step",
    access: { permission: 'stock:write', store: 'body' },
    headers: writeHeadersSchema,
    body: createTransferSchema,
    answers: {
      ...PROMISE_ANSWERS,
      '201': json('the transfer, in transit (also the replay of a keyed request)', transferAnswer),
      '409': failed('`INSUFFICIENT_AVAILABLE` at the source (`error.items`), or `IDEMPOTENCY_KEY_IN_USE`'),
    },
  },
  {
    app: 'query-api',
    method: 'get',
    path: '/inventory/transfers/{transferId}',
    operationId: 'getTransfer',
    summary: 'a transfer',
    access: { permission: 'stock:read', store: 'record' },
    pathParams: transferPath,
    answers: { '200': json('the transfer', transferAnswer), '400': BAD_INPUT, '404': failed('no such transfer'), '503': UNAVAILABLE },
  },
  transferStep('receive', 'the units given (default: all outstanding) arrive: incoming becomes on hand', receiveTransferSchema),
  transferStep('cancel', 'what is still outstanding goes back to the source'),
  {
    app: 'write-api',
    method: 'post',
    path: '/admin/webhooks',
    operationId: 'registerWebhook',
    summary: 'register a webhook: signed JSON POSTs of the events it names',
    access: { permission: 'webhooks:manage' },
    body: webhookRegistrationSchema,
    answers: {
      '201': json('registered (never shows the secret)', webhookAnswer),
      '400': BAD_INPUT,
      '415': failed('body not JSON'),
      '503': UNAVAILABLE,
    },
  },
  {
    app: 'write-api',
    method: 'get',
    path: '/admin/webhooks',
    operationId: 'listWebhooks',
    summary: 'the registered webhooks',
    access: { permission: 'webhooks:manage' },
    answers: { '200': json('every webhook, oldest first', webhookListAnswer), '503': UNAVAILABLE },
  },
  {
    app: 'write-api',
    method: 'delete',
    path: '/admin/webhooks/{webhookId}',
    operationId: 'deleteWebhook',
    summary: 'remove a webhook (its queued deliveries are dropped)',
    access: { permission: 'webhooks:manage' },
    pathParams: webhookPath,
    answers: { '204': { description: 'removed' }, '404': failed('no such webhook'), '503': UNAVAILABLE },
  },
  {
    app: 'write-api',
    method: 'get',
    path: '/admin/webhooks/{webhookId}/dead-letters',
    operationId: 'listWebhookDeadLetters',
    summary: "a webhook's deliveries given up after 24 h of retries",
    access: { permission: 'webhooks:manage' },
    pathParams: webhookPath,
    answers: { '200': json('newest first', deadLettersAnswer), '404': failed('no such webhook') },
  },
  {
    app: 'write-api',
    method: 'post',
    path: '/stress/restock',
    operationId: 'startRestockStorm',
    summary: 'start a Restock Storm',
    access: { permission: 'storms:run' },
    body: stormRequestSchema,
    answers: {
      '202': json('started; watch `status_url`', stormStartedAnswer),
      '400': BAD_INPUT,
      '409': failed('a storm is already running'),
      '503': UNAVAILABLE,
    },
  },
  {
    app: 'write-api',
    method: 'get',
    path: '/stress/restock/{stormId}',
    operationId: 'getRestockStorm',
    summary: "a storm's progress",
    access: { permission: 'dashboard:view' },
    pathParams: z.object({ stormId: z.string() }),
    answers: {
      '200': json('the storm', stormStatusAnswer),
      '404': failed('no such storm'),
    },
  },
  {
    app: 'write-api',
    method: 'get',
    path: '/admin/storms',
    operationId: 'getStormPage',
    summary: "the storm page: running and recent storms, progress, SKUs per second, workers' CPU against the target (refreshes itself)",
    access: { permission: 'dashboard:view' },
    answers: { '200': { description: 'the page', contentType: 'text/html' } },
  },
  {
    app: 'write-api',
    method: 'get',
    path: '/admin/storms/data',
    operationId: 'getStormPageData',
    summary: "the storm page's data: the last five storms with their moments",
    access: { permission: 'dashboard:view' },
    answers: { '200': json('newest first', stormPageAnswer), '503': UNAVAILABLE },
  },
  {
    app: 'write-api',
    method: 'get',
    path: '/admin/queues',
    operationId: 'getQueueDashboard',
    summary: 'the queue dashboard (bull-board): restock jobs and webhook deliveries',
    access: { permission: 'dashboard:view' },
    answers: {
      '200': { description: 'the dashboard page', contentType: 'text/html' },
    },
  },
  {
    app: 'write-api',
    method: 'post',
    path: '/admin/api-keys',
    operationId: 'createApiKey',
    summary: 'issue an API key (for a till, a scanner, a script): its secret is in this answer only',
    access: { permission: 'api-keys:manage', store: 'body' },
    body: apiKeyRequestSchema,
    answers: {
      '201': json('the key, with its secret', apiKeyCreatedAnswer),
      '400': BAD_INPUT,
      '415': failed('body not JSON'),
      '503': UNAVAILABLE,
    },
  },
  {
    app: 'write-api',
    method: 'get',
    path: '/admin/api-keys',
    operationId: 'listApiKeys',
    summary: 'every API key, revoked ones too (never a secret)',
    access: { permission: 'api-keys:manage' },
    answers: { '200': json('oldest first', apiKeyListAnswer), '503': UNAVAILABLE },
  },
  {
    app: 'write-api',
    method: 'delete',
    path: '/admin/api-keys/{keyId}',
    operationId: 'revokeApiKey',
    summary: 'revoke a key: every pod refuses it within 5 s',
    access: { permission: 'api-keys:manage' },
    pathParams: keyPath,
    answers: { '204': { description: 'revoked' }, '404': failed('no such key'), '503': UNAVAILABLE },
  },
  {
    app: 'write-api',
    method: 'post',
    path: '/admin/api-keys/{keyId}/rotate',
    operationId: 'rotateApiKey',
    summary: 'a new key with the same name, role and stores; the old one works until it is revoked',
    access: { permission: 'api-keys:manage' },
    pathParams: keyPath,
    answers: {
      '201': json('the new key, with its secret', apiKeyCreatedAnswer),
      '404': failed('no such key in force'),
      '503': UNAVAILABLE,
    },
  },
];

/** A zod schema as an OpenAPI 3.1 (JSON Schema 2020-12) schema of what callers send or get. */
