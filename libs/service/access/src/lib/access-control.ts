import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { API_OPERATIONS, type AccessRule } from '@inventory/shared/api-contract';
import { ForbiddenError, foreignStores, type Permission, type Principal, UnauthorizedError } from '@inventory/domain/model';
import type { Middleware, RateLimit } from '@inventory/shared/http-server';
import type { Authenticator } from './authenticator';

declare module 'node:http' {
  interface IncomingMessage {
    /** Who made the request, set by the route's access guard. */
    principal?: Principal;
  }
}

/** Credentials remembered as accepted, per pod (about 100 bytes each): more devices than one pod serves at once. */
const MAX_ACCEPTED_CREDENTIALS = 10_000;

/** The principal the route's guard established; a route without a guard is our bug, never an open door. */
export function requestPrincipal(req: IncomingMessage): Principal {
  if (!req.principal) throw new Error(`no access guard ran for ${req.method} ${req.url}`);
  return req.principal;
}

/** 401 for the anonymous reader (a credential would help), 403 naming the permission for anyone else. */
export function assertPermission(principal: Principal, permission: Permission): void {
  if (principal.permissions.has(permission)) return;
  if (principal.kind === 'anonymous')
    throw new UnauthorizedError('credentials are required: send Authorization: Bearer <API key or access token>');
  throw new ForbiddenError(`the ${principal.role} role lacks the permission ${permission}`, { permission });
}

/** 403 naming every store of `storeIds` the principal may not touch. */
export function assertStores(principal: Principal, storeIds: Iterable<string>): void {
  const foreign = foreignStores(principal, storeIds);
  if (foreign.length > 0)
    throw new ForbiddenError(`not permitted for store${foreign.length > 1 ? 's' : ''} ${foreign.join(', ')}`, { stores: foreign });
}

/** The access rule the API contract declares for a route (`POST /inventory/adjust`); a route without one does not start. */
export function accessRuleOf(method: string, path: string): AccessRule {
  const operation = API_OPERATIONS.find((candidate) => candidate.method === method.toLowerCase() && candidate.path === path);
  if (!operation) throw new Error(`${method} ${path} has no access rule in the API contract (libs/shared/api-contract)`);
  return operation.access;
}

/**
 * Each route's guard: authenticates the request, checks the permission its rule names and, when
 * the store is in the path, the store. Stores named in a body or a query are checked by the route
 * (`assertStores`) once parsed. A source that keeps presenting wrong credentials gets 429 before
 * its next one is even looked at.
 */
export class AccessControl {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly failures?: RateLimit,
  ) {}

  /** The guard of a route of the API contract, e.g. `guard('post', '/inventory/adjust')`. */
  guard(method: string, path: string): Middleware {
    const rule = accessRuleOf(method, path);
    if (rule.permission === 'public') return (_req, _res, next) => next();
    const permission = rule.permission;
    return (req, _res, next) => {
      this.principalOf(req)
        .then((principal) => {
          req.principal = principal;
          assertPermission(principal, permission);
          if (rule.store === 'path')
            assertStores(principal, [(req as IncomingMessage & { params: Record<string, string> }).params['storeId'] ?? '']);
          next();
        })
        .catch(next);
    };
  }

  /**
   * Digests of credentials this pod accepted lately: presenting one again is not a guess, so it
   * skips the failure limit's Redis read (a round trip that cost a cached read a third of its
   * throughput; tools/benchmarks/README.md). It only spares that check: the credential is still
   * authenticated, so a revoked key is refused as ever. Bounded: emptied when full.
   */
  private readonly accepted = new Set<string>();

  private async principalOf(req: IncomingMessage): Promise<Principal> {
    const header = req.headers.authorization;
    const seen = header === undefined ? undefined : createHash('sha256').update(header).digest('base64');
    if (seen !== undefined && !this.accepted.has(seen)) await this.failures?.check(req);
    try {
      const principal = await this.authenticator.authenticate(req);
      if (seen !== undefined && !this.accepted.has(seen)) {
        if (this.accepted.size >= MAX_ACCEPTED_CREDENTIALS) this.accepted.clear();
        this.accepted.add(seen);
      }
      return principal;
    } catch (error) {
      if (error instanceof UnauthorizedError && header !== undefined) await this.failures?.consume(req);
      throw error;
    }
  }
}
