import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '@inventory/shared/config';
import type { RateLimit } from '@inventory/shared/http-server';
import type { Logger } from '@inventory/shared/observability';
import type { RedisConnection } from '@inventory/shared/redis';
import { AccessControl } from './access-control';
import { ApiKeyDirectory } from './api-key-directory';
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

/** Access control as configured: API keys always, bearer JWTs when an issuer is set (apps/README.md#access-control). */
export function createPlatformAccess(
  config: Config,
  clients: { dynamodb: DynamoDBClient; dynamodbTimeoutMs: number; redis: RedisConnection; logger: Logger; credentialFailures?: RateLimit },
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
