import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ALL_STORES, ANONYMOUS_READER, type Principal, principalOf, UnauthorizedError } from '@inventory/domain/model';
import { apiKeyIdOf, matchesHash } from './api-key-secret';
import type { ApiKeyDirectory } from './api-key-directory';
import type { TokenVerifier } from './token-verifier';

/** Longest Authorization header looked at: a JWT with a few hundred claims; beyond, a 401 before any parsing. */
const MAX_AUTHORIZATION_LENGTH = 8_192;

export interface AuthenticatorOptions {
  apiKeys: ApiKeyDirectory;
  /** Absent: bearer JWTs are refused (no OIDC_ISSUER configured). */
  tokens?: TokenVerifier;
  /** LOCAL_ADMIN_KEY: a fixed admin key for every store (refused by config outside APP_ENV=local). */
  localAdminKey?: string;
  /** PUBLIC_STOCK_READS: a request without credentials is the anonymous reader, not a 401. */
  publicReads: boolean;
  /** AUTHENTICATION=off (local only): every request is an admin of every store. */
  disabled?: boolean;
}

export interface Authenticator {
  /** The request's principal; UnauthorizedError naming what is wrong with its credential. */
  authenticate(req: IncomingMessage): Promise<Principal>;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

const LOCAL_ADMIN = principalOf({ kind: 'api-key', id: 'local-admin', name: 'LOCAL_ADMIN_KEY', role: 'admin', stores: ALL_STORES });
const UNAUTHENTICATED = principalOf({
  kind: 'api-key',
  id: 'authentication-off',
  name: 'AUTHENTICATION=off',
  role: 'admin',
  stores: ALL_STORES,
});

/**
 * Who a request comes from (apps/README.md#access-control): `Authorization: Bearer <API key or
 * JWT>`, or Basic with the key as password (browsers, for the dashboards). What is checked per
 * request is a hash and a map lookup: keys and verified tokens are cached (api-key-directory.ts,
 * token-verifier.ts).
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const localAdmin = options.localAdminKey === undefined ? undefined : digest(options.localAdminKey);
  const isLocalAdmin = (secret: string) => localAdmin !== undefined && timingSafeEqual(digest(secret), localAdmin);

  return {
    async authenticate(req) {
      if (options.disabled) return UNAUTHENTICATED;
      const header = req.headers.authorization;
      if (header === undefined) {
        if (options.publicReads) return ANONYMOUS_READER;
        throw new UnauthorizedError('credentials are required: send Authorization: Bearer <API key or access token>');
      }
      const secret = presentedSecret(header);
      if (isLocalAdmin(secret)) return LOCAL_ADMIN;
      const keyId = apiKeyIdOf(secret);
      if (keyId !== undefined) {
        const record = await options.apiKeys.find(keyId);
        if (!record || !matchesHash(secret, record.hash)) throw new UnauthorizedError('the API key is unknown or revoked', 'invalid_token');
        return principalOf({ kind: 'api-key', id: record.key_id, name: record.name, role: record.role, stores: record.stores });
      }
      if (secret.split('.').length === 3) {
        if (!options.tokens) throw new UnauthorizedError('access tokens are not accepted here: no issuer is configured', 'invalid_token');
        return options.tokens.verify(secret);
      }
      throw new UnauthorizedError('the credential is neither an API key of this platform nor an access token', 'invalid_token');
    },
  };
}

/** The secret of a Bearer or Basic (`user:key`) header; a 401 naming the problem for anything else. */
function presentedSecret(header: string): string {
  if (header.length > MAX_AUTHORIZATION_LENGTH || !/^[\x20-\x7e]*$/.test(header))
    throw new UnauthorizedError(
      `the Authorization header must be at most ${MAX_AUTHORIZATION_LENGTH} visible ASCII characters`,
      'invalid_request',
    );
  const space = header.indexOf(' ');
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  const value = space === -1 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer' && value) return value;
  if (scheme === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0 && colon < decoded.length - 1) return decoded.slice(colon + 1);
  }
  throw new UnauthorizedError('the Authorization header must be "Bearer <API key or access token>"', 'invalid_request');
}
