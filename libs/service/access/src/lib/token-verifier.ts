import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import {
  ALL_STORES,
  DependencyUnavailableError,
  type Principal,
  principalOf,
  type Role,
  ROLES,
  type StoreScope,
  UnauthorizedError,
} from '@inventory/domain/model';

export interface TokenVerifierOptions {
  issuer: string;
  /** Unset: `aud` is not checked (Cognito's access tokens carry none; their scopes name the resource server). */
  audience?: string;
  jwksUrl: string;
  clockSkewSeconds: number;
  /** Least time between two fetches of the issuer's keys. */
  jwksCooldownMs: number;
  /** A token's role is its scope `<prefix><role>`. */
  roleScopePrefix: string;
  /** The claim that lists a token's stores. */
  storesClaim: string;
  /** Verified tokens remembered at most. */
  maxCached?: number;
  now?: () => number;
}

/** Only asymmetric signatures: `none` and HS256 (signed with the public key as a secret) are refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface TokenVerifier {
  /** The token's principal, or UnauthorizedError naming what is wrong with it. */
  verify(token: string): Promise<Principal>;
}

/**
 * Verifies OAuth2/OIDC access tokens (JWT) against the issuer's JWKS with jose: signature, `iss`,
 * `aud`, `exp`/`nbf` within the clock skew. The JWKS is cached and fetched again when a token names
 * a key it does not hold (a rotation), at most once per cooldown; a verified token is remembered
 * until it expires, so a caller's repeated requests cost a map lookup, not a signature check.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: options.jwksCooldownMs, timeoutDuration: 3_000 });
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  const maxCached = options.maxCached ?? 10_000;
  const now = options.now ?? Date.now;

  const check = async (token: string): Promise<{ principal: Principal; expiresAt: number }> => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: options.clockSkewSeconds,
        currentDate: new Date(now()),
        requiredClaims: ['exp', 'sub'],
      });
      return { principal: principalFrom(payload, options), expiresAt: (payload.exp as number) * 1000 + options.clockSkewSeconds * 1000 };
    } catch (error) {
      throw refusal(error);
    }
  };

  return {
    async verify(token) {
      const hit = verified.get(token);
      if (hit && hit.expiresAt > now()) return hit.principal;
      verified.delete(token);
      const fresh = await check(token);
      if (verified.size >= maxCached) verified.delete(verified.keys().next().value as string);
      verified.set(token, fresh);
      return fresh.principal;
    },
  };
}

function principalFrom(payload: JWTPayload, options: TokenVerifierOptions): Principal {
  const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
  const roles = scopes
    .filter((scope) => scope.startsWith(options.roleScopePrefix))
    .map((scope) => scope.slice(options.roleScopePrefix.length));
  // The most able of the roles granted (the role list runs from least to most able).
  const role = [...ROLES].reverse().find((candidate) => roles.includes(candidate));
  if (!role) throw new UnauthorizedError(`the token grants no role scope (${options.roleScopePrefix}<role>)`, 'invalid_token');
  const clientId = typeof payload['client_id'] === 'string' ? payload['client_id'] : undefined;
  return principalOf({
    kind: 'token',
    id: payload.sub as string,
    name: clientId ?? (payload.sub as string),
    role: role as Role,
    stores: storesFrom(payload[options.storesClaim]),
  });
}

/** `"*"`, an array of store ids, or a space-separated string of them; anything else: no store. */
function storesFrom(claim: unknown): StoreScope {
  if (claim === ALL_STORES) return ALL_STORES;
  if (Array.isArray(claim)) return claim.filter((store): store is string => typeof store === 'string');
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  return [];
}

function refusal(error: unknown): Error {
  if (error instanceof UnauthorizedError) return error;
  if (error instanceof errors.JWTExpired) return new UnauthorizedError('the token has expired', 'invalid_token');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const which: Record<string, string> = {
      iss: 'the token was not issued by the accepted issuer',
      aud: 'the token is not meant for this API (aud)',
      nbf: 'the token is not valid yet (nbf)',
    };
    return new UnauthorizedError(which[error.claim] ?? `the token's ${error.claim} claim is not accepted`, 'invalid_token');
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return new UnauthorizedError('the token is not signed with an accepted algorithm', 'invalid_token');
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return new UnauthorizedError('the token signature does not verify', 'invalid_token');
  if (issuerUnreachable(error))
    return new DependencyUnavailableError('IDENTITY_PROVIDER_UNAVAILABLE', "the token issuer's keys could not be fetched", 5);
  return new UnauthorizedError('the token is malformed', 'invalid_token');
}

/** The issuer's JWKS could not be had: a timeout, a socket error, or an answer other than 200 (our dependency, not the caller). */
function issuerUnreachable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout) return true;
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JOSE_GENERIC' && error.message.includes('JSON Web Key Set');
  return typeof (error as { code?: unknown })?.code === 'string';
}
