/**
 * Who may do what (apps/README.md#access-control): a role maps to permissions, and every principal
 * carries the stores it may touch. Pure: the credentials that establish a principal live in
 * `libs/shared/access`.
 */
export const PERMISSIONS = [
  /** Store and SKU quantities. */
  'stock:read',
  /** Adjusts with reason `sale` or `return`, and reservations: what a till does. */
  'stock:sell',
  /** Every other stock change: sets, adjusts of any reason, batches. */
  'stock:write',
  'movements:read',
  'thresholds:write',
  /** Units kept out of `available`: a policy, an operator's, not a count. */
  'safety-stock:write',
  'webhooks:manage',
  'storms:run',
  /** The storm page and the queue dashboard, read-only. */
  'dashboard:view',
  /** The queue dashboard's actions (retry, remove, add jobs). */
  'dashboard:act',
  'api-keys:manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['reader', 'till', 'stock-clerk', 'integration', 'operator', 'admin'] as const;

export type Role = (typeof ROLES)[number];

const reader: Permission[] = ['stock:read'];
const till: Permission[] = [...reader, 'stock:sell'];
const stockClerk: Permission[] = [...till, 'stock:write'];

/** The role table; apps/README.md#access-control shows it to callers. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  reader,
  till,
  'stock-clerk': stockClerk,
  integration: [...stockClerk, 'movements:read'],
  // Operators run the platform, they do not count stock: no stock writes.
  operator: [...reader, 'movements:read', 'thresholds:write', 'safety-stock:write', 'webhooks:manage', 'storms:run', 'dashboard:view'],
  admin: PERMISSIONS,
};

/** Every store, for principals not limited to some. */
export const ALL_STORES = '*';

export type StoreScope = typeof ALL_STORES | readonly string[];

/** An authenticated caller (or the anonymous reader, when public reads are on). */
export interface Principal {
  kind: 'api-key' | 'token' | 'anonymous';
  /** The key id, or the token's subject (its client id for a machine client). */
  id: string;
  /** The key's name, or the token's client id. */
  name: string;
  role: Role | 'public';
  stores: StoreScope;
  permissions: ReadonlySet<Permission>;
}

export function principalOf(fields: Omit<Principal, 'permissions'> & { role: Role }): Principal {
  return { ...fields, permissions: new Set(ROLE_PERMISSIONS[fields.role]) };
}

/** Public reads (`PUBLIC_STOCK_READS=true`): quantities of every store, nothing else. */
export const ANONYMOUS_READER: Principal = {
  kind: 'anonymous',
  id: 'anonymous',
  name: 'anonymous',
  role: 'public',
  stores: ALL_STORES,
  permissions: new Set<Permission>(['stock:read']),
};

export function mayAccessStore(principal: Principal, storeId: string): boolean {
  return principal.stores === ALL_STORES || principal.stores.includes(storeId);
}

/** The stores of `storeIds` the principal may not touch, each once, in the order given. */
export function foreignStores(principal: Principal, storeIds: Iterable<string>): string[] {
  const foreign = new Set<string>();
  for (const storeId of storeIds) if (!mayAccessStore(principal, storeId)) foreign.add(storeId);
  return [...foreign];
}

/** How the ledger names a principal in `actor`: `key:<id> <name>` or `token:<subject>`. */
export function actorOf(principal: Principal): string {
  if (principal.kind === 'api-key') return `key:${principal.id} ${principal.name}`;
  if (principal.kind === 'token') return `token:${principal.id}`;
  return 'anonymous';
}
