/**
 * The access matrix: for every operation of the API contract, the request that exercises it and
 * the callers it must refuse or let in. Pure: the suite (access-matrix.spec.ts) sends the requests
 * to the built apps. An operation without a sample here makes `accessMatrix` throw, so a route
 * cannot be added to the contract without the matrix covering it.
 */
import type { AccessRule, ApiOperation } from '@inventory/shared/api-contract';
import { type Permission, ROLE_PERMISSIONS, ROLES, type Role } from '@inventory/domain/model';

/** The store every store-limited principal of the matrix may touch, and the one it may not. */
export const OWN_STORE = 'store-1';
export const FOREIGN_STORE = 'store-2';
/** A third store, the far end of the matrix's transfers. */
export const THIRD_STORE = 'store-3';

/** Ids the suite creates before the matrix runs, for the routes that name one. */
export interface MatrixFixtures {
  /** A webhook to read, and another to remove. */
  webhookId: string;
  webhookToRemove: string;
  stormId: string;
  /** Keys of OWN_STORE to rotate and to revoke (each route changes its own). */
  keyToRotate: string;
  keyToRevoke: string;
  /** Per store (OWN_STORE and FOREIGN_STORE): held reservations of its own for each step, and transfers from it (to cancel) and to it (to receive). */
  promises: Record<string, { commit: string; release: string; extend: string; cancel: string; receive: string }>;
  /** Per store, a version its change log still covers (what a delta read continues from). */
  storeVersions: Record<string, number>;
}

export interface SampleRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
}

/** The request for an operation, naming `store` wherever the operation names a store. */
type Sample = (store: string, fixtures: MatrixFixtures) => SampleRequest;

const get =
  (path: (store: string, fixtures: MatrixFixtures) => string): Sample =>
  (store, fixtures) => ({ method: 'GET', path: path(store, fixtures) });
const send =
  (method: SampleRequest['method'], path: (fixtures: MatrixFixtures) => string, body: (store: string) => unknown): Sample =>
  (store, fixtures) => ({ method, path: path(fixtures), body: body(store) });

/** A step of the store's fixture reservation or transfer made for it. */
const promiseStep =
  (collection: 'reservations' | 'transfers', step: keyof MatrixFixtures['promises'][string], body: unknown): Sample =>
  (store, { promises }) => ({ method: 'POST', path: `/inventory/${collection}/${promises[store]?.[step]}/${step}`, body });

/** One well-formed request per operation, keyed `METHOD /openapi/path`. */
export const SAMPLES: Record<string, Sample> = {
  'GET /health': get(() => '/health'),
  'GET /openapi.json': get(() => '/openapi.json'),
  'GET /docs': get(() => '/docs'),
  'GET /docs/init.js': get(() => '/docs/init.js'),
  'GET /docs/api-reference.js': get(() => '/docs/api-reference.js'),
  'GET /inventory/store/{storeId}': get((store) => `/inventory/store/${store}`),
  'GET /inventory/store/{storeId}/changes': get(
    (store, { storeVersions }) => `/inventory/store/${store}/changes?since_version=${storeVersions[store]}`,
  ),
  'GET /inventory/store/{storeId}/sku/{sku}': get((store) => `/inventory/store/${store}/sku/SKU-1001`),
  // The foreign case names both stores: the answer must refuse the foreign one, not drop it.
  'GET /inventory/sku/{sku}': get((store) => `/inventory/sku/SKU-1001?stores=${[...new Set([OWN_STORE, store])].join(',')}`),
  'GET /inventory/store/{storeId}/sku/{sku}/movements': get((store) => `/inventory/store/${store}/sku/SKU-1001/movements`),
  'GET /inventory/store/{storeId}/movements': get((store) => `/inventory/store/${store}/movements`),
  'POST /inventory/update': send(
    'POST',
    () => '/inventory/update',
    (store) => ({ store_id: store, sku: 'SKU-1001', quantity: 40 }),
  ),
  'POST /inventory/adjust': send(
    'POST',
    () => '/inventory/adjust',
    (store) => ({ store_id: store, sku: 'SKU-1002', delta: -1, reason: 'sale' }),
  ),
  'POST /inventory/batch': send(
    'POST',
    () => '/inventory/batch',
    (store) => ({ store_id: store, error_policy: 'reject_all', rows: [{ sku: 'SKU-1003', quantity: 12 }] }),
  ),
  'PUT /inventory/store/{storeId}/sku/{sku}/threshold': (store) => ({
    method: 'PUT',
    path: `/inventory/store/${store}/sku/SKU-1004/threshold`,
    body: { low_stock_at: 3 },
  }),
  'PUT /inventory/store/{storeId}/sku/{sku}/safety-stock': (store) => ({
    method: 'PUT',
    path: `/inventory/store/${store}/sku/SKU-1007/safety-stock`,
    body: { safety_stock: 1 },
  }),
  'POST /inventory/reservations': send(
    'POST',
    () => '/inventory/reservations',
    (store) => ({ store_id: store, items: [{ sku: 'SKU-1005', quantity: 1 }] }),
  ),
  'GET /inventory/reservations/{reservationId}': get((store, { promises }) => `/inventory/reservations/${promises[store]?.extend}`),
  'POST /inventory/reservations/{reservationId}/commit': promiseStep('reservations', 'commit', {}),
  'POST /inventory/reservations/{reservationId}/release': promiseStep('reservations', 'release', {}),
  'POST /inventory/reservations/{reservationId}/extend': promiseStep('reservations', 'extend', { expires_in_seconds: 600 }),
  'POST /inventory/transfers': send(
    'POST',
    () => '/inventory/transfers',
    (store) => ({ from_store: store, to_store: THIRD_STORE, items: [{ sku: 'SKU-1006', quantity: 1 }] }),
  ),
  'GET /inventory/transfers/{transferId}': get((store, { promises }) => `/inventory/transfers/${promises[store]?.cancel}`),
  'POST /inventory/transfers/{transferId}/receive': promiseStep('transfers', 'receive', {}),
  'POST /inventory/transfers/{transferId}/cancel': promiseStep('transfers', 'cancel', {}),
  'POST /admin/webhooks': send(
    'POST',
    () => '/admin/webhooks',
    () => ({ url: 'http://127.0.0.1:9/matrix-hook', events: ['stock.low'], secret: 'matrix-webhook-secret-0123456789' }),
  ),
  'GET /admin/webhooks': get(() => '/admin/webhooks'),
  'DELETE /admin/webhooks/{webhookId}': (_store, { webhookToRemove }) => ({ method: 'DELETE', path: `/admin/webhooks/${webhookToRemove}` }),
  'GET /admin/webhooks/{webhookId}/dead-letters': get((_store, { webhookId }) => `/admin/webhooks/${webhookId}/dead-letters`),
  'POST /stress/restock': send(
    'POST',
    () => '/stress/restock',
    () => ({ stores: 1, skus_per_store: 1, duration_seconds: 1 }),
  ),
  'GET /stress/restock/{stormId}': get((_store, { stormId }) => `/stress/restock/${stormId}`),
  'GET /admin/storms': get(() => '/admin/storms'),
  'GET /admin/storms/data': get(() => '/admin/storms/data'),
  'GET /admin/queues': get(() => '/admin/queues'),
  'POST /admin/api-keys': send(
    'POST',
    () => '/admin/api-keys',
    (store) => ({ name: 'matrix-till', role: 'till', stores: [store] }),
  ),
  'GET /admin/api-keys': get(() => '/admin/api-keys'),
  'DELETE /admin/api-keys/{keyId}': (_store, { keyToRevoke }) => ({ method: 'DELETE', path: `/admin/api-keys/${keyToRevoke}` }),
  'POST /admin/api-keys/{keyId}/rotate': (_store, { keyToRotate }) => ({
    method: 'POST',
    path: `/admin/api-keys/${keyToRotate}/rotate`,
  }),
};

/** The least able role holding the permission: the right principal, with nothing to spare. */
export function leastRoleWith(permission: Permission): Role {
  const role = ROLES.find((candidate) => ROLE_PERMISSIONS[candidate].includes(permission));
  if (!role) throw new Error(`no role holds ${permission}`);
  return role;
}

/** The most able role lacking the permission (the nearest miss), or none when every role holds it. */
export function nearestRoleWithout(permission: Permission): Role | undefined {
  return [...ROLES].reverse().find((candidate) => !ROLE_PERMISSIONS[candidate].includes(permission));
}

export interface MatrixRow {
  operation: string;
  app: ApiOperation['app'];
  access: AccessRule;
  /** The answers the contract documents as success. */
  success: number[];
  sample: Sample;
}

/** Every operation with its sample and documented success answers; throws naming any operation without a sample. */
export function accessMatrix(operations: readonly ApiOperation[], samples: Record<string, Sample> = SAMPLES): MatrixRow[] {
  const key = (operation: ApiOperation) => `${operation.method.toUpperCase()} ${operation.path}`;
  const missing = operations.map(key).filter((operation) => !samples[operation]);
  if (missing.length > 0) throw new Error(`the access matrix has no sample request for ${missing.join(', ')} (tools/e2e/access)`);
  return operations.map((operation) => ({
    operation: key(operation),
    app: operation.app,
    access: operation.access,
    success: Object.keys(operation.answers)
      .map(Number)
      .filter((status) => status >= 200 && status < 300),
    sample: samples[key(operation)] as Sample,
  }));
}
