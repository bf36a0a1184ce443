// A real OpenID provider (oidc-provider, the certified Node implementation) for the local stack and
// the tests: machine clients get JWT access tokens by the client-credentials grant, as Cognito's
// resource-server scopes give them in AWS. Run as its own process (oidc-provider is ESM-only):
//   node oidc-provider.mjs <settings.json>
// settings: { port, issuer, audience, ttlSeconds, keys: [private JWKs, the first signs], clients: [
//   { client_id, client_secret, scope: "inventory/till …", inventory_stores: ["store-1"] | "*" } ] }
// It prints "listening <port>" once it serves.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const settings = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const ROLE_SCOPES = ['reader', 'till', 'stock-clerk', 'integration', 'operator', 'admin'].map((role) => `inventory/${role}`);

const provider = new Provider(settings.issuer, {
  clients: settings.clients.map(({ client_id, client_secret, scope, inventory_stores }) => ({
    client_id,
    client_secret,
    scope,
    inventory_stores,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  extraClientMetadata: { properties: ['inventory_stores'] },
  scopes: ROLE_SCOPES,
  jwks: { keys: settings.keys },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => settings.audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: ROLE_SCOPES.join(' '),
        audience: settings.audience,
        accessTokenTTL: settings.ttlSeconds,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  // The stores a machine client may touch, as the platform reads them (OIDC_STORES_CLAIM).
  extraTokenClaims: (ctx, token) => {
    const client = token.client ?? ctx.oidc.client;
    return client?.inventory_stores === undefined ? undefined : { inventory_stores: client.inventory_stores };
  },
});
provider.proxy = false;

const server = provider.listen(settings.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
