export { ApiKeyRepository, type ApiKeyView, type ApiKeyRequest } from './lib/api-key.repository';
export { ApiKeyDirectory } from './lib/api-key-directory';
export { createTokenVerifier, type TokenVerifier } from './lib/token-verifier';
export { createAuthenticator, type Authenticator } from './lib/authenticator';
export { AccessControl, requestPrincipal, assertPermission, assertStores } from './lib/access-control';
export { createPlatformAccess, type PlatformAccess } from './lib/platform-access';
