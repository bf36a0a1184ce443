import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RateLimit } from '@inventory/shared/http-server';
import type { RedisConnection } from '@inventory/shared/redis';
import { AccessControl } from './access-control';
import { ApiKeyDirectory, type WarningLog } from './api-key-directory';
import { ApiKeyRepository } from './api-key.repository';
import { createAuthenticator } from './authenticator';
import { createTokenVerifier } from './token-verifier';

export interface PlatformAccess {
  access: AccessControl;
  apiKeys: { repository: ApiKeyRepository; directory: ApiKeyDirectory };
  /** Starts reading the revocation feed. */
  start: () => void;
  stop: () => Promise<void>;
}

/** The settings access control reads: the platform's Config has them (apps/README.md#access-control). */
export interface AccessSettings {
  DYNAMODB_TABLE: string;
  REDIS_KEY_PREFIX: string;
  OIDC_ISSUER?: string;
  OIDC_AUDIENCE?: string;
  OIDC_JWKS_URL?: string;
  OIDC_CLOCK_SKEW_SECONDS: number;
  OIDC_JWKS_COOLDOWN_MS: number;
  OIDC_ROLE_SCOPE_PREFIX: string;
  OIDC_STORES_CLAIM: string;
  LOCAL_ADMIN_KEY?: string;
  PUBLIC_STOCK_READS: boolean;
  AUTHENTICATION: 'required' | 'off';
}

/** Access control as configured: API keys always, bearer JWTs when an issuer is set (apps/README.md#access-control). */
export function createPlatformAccess(
  config: AccessSettings,
  clients: {
    dynamodb: DynamoDBClient;
    dynamodbTimeoutMs: number;
    redis: RedisConnection;
    logger: WarningLog;
    credentialFailures?: RateLimit;
  },
): PlatformAccess {
  const repository = new ApiKeyRepository(clients.dynamodb, config.DYNAMODB_TABLE, { timeoutMs: clients.dynamodbTimeoutMs });
  const directory = new ApiKeyDirectory({
    repository,
    redis: clients.redis,
    feedKey: `${config.REDIS_KEY_PREFIX}:api-keys:revoked`,
    logger: clients.logger,
  });
  const tokens =
    config.OIDC_ISSUER !== undefined && config.OIDC_JWKS_URL !== undefined
      ? createTokenVerifier({
          issuer: config.OIDC_ISSUER,
          audience: config.OIDC_AUDIENCE,
          jwksUrl: config.OIDC_JWKS_URL,
          clockSkewSeconds: config.OIDC_CLOCK_SKEW_SECONDS,
          jwksCooldownMs: config.OIDC_JWKS_COOLDOWN_MS,
          roleScopePrefix: config.OIDC_ROLE_SCOPE_PREFIX,
          storesClaim: config.OIDC_STORES_CLAIM,
        })
      : undefined;
  const authenticator = createAuthenticator({
    apiKeys: directory,
    tokens,
    localAdminKey: config.LOCAL_ADMIN_KEY,
    publicReads: config.PUBLIC_STOCK_READS,
    disabled: config.AUTHENTICATION === 'off',
  });
  return {
    access: new AccessControl(authenticator, clients.credentialFailures),
    apiKeys: { repository, directory },
    start: () => directory.start(),
    stop: () => directory.stop(),
  };
}
