import { forgedTokens, type LocalOidcProvider, startLocalOidcProvider } from '@inventory/shared/local-services';
import { createTokenVerifier, type TokenVerifier } from './token-verifier';

describe('bearer tokens from a real OpenID provider (oidc-provider, client credentials)', () => {
  let provider: LocalOidcProvider;
  let verifier: TokenVerifier;
  const clients = [
    { client_id: 'warehouse-7', client_secret: 'warehouse-7-secret-0123', scope: 'inventory/stock-clerk', inventory_stores: ['s1', 's2'] },
    {
      client_id: 'shop-backend',
      client_secret: 'shop-backend-secret-0123',
      scope: 'inventory/reader inventory/integration',
      inventory_stores: '*' as const,
    },
  ];

  beforeAll(async () => {
    provider = await startLocalOidcProvider(clients);
    verifier = createTokenVerifier({
      issuer: provider.issuer,
      audience: provider.audience,
      jwksUrl: provider.jwksUrl,
      clockSkewSeconds: 30,
      jwksCooldownMs: 100,
      roleScopePrefix: 'inventory/',
      storesClaim: 'inventory_stores',
    });
  }, 30_000);

  afterAll(async () => {
    await provider?.stop();
  });

  it('when a machine client presents its token, then it is that client with its role and stores', async () => {
    expect(await verifier.verify(await provider.token('warehouse-7'))).toMatchObject({
      kind: 'token',
      id: 'warehouse-7',
      name: 'warehouse-7',
      role: 'stock-clerk',
      stores: ['s1', 's2'],
    });
    // Several role scopes: the most able one counts.
    expect(await verifier.verify(await provider.token('shop-backend'))).toMatchObject({ role: 'integration', stores: '*' });
  });

  const reasons: Record<string, string> = {
    'expired (beyond the 30 s skew)': 'the token has expired',
    'not valid yet': 'not valid yet',
    'from another issuer': 'not issued by the accepted issuer',
    'for another audience': 'not meant for this API',
    'unsigned (alg none)': 'not signed with an accepted algorithm',
    'HS256 keyed with the public key': 'not signed with an accepted algorithm',
    'signed by another key under the real key id': 'signature does not verify',
    malformed: 'malformed',
  };

  it('when a token is forged in any known way, then each kind is refused naming why', async () => {
    const forged = forgedTokens(provider, 'inventory/till');
    expect(Object.keys(forged).sort()).toEqual(Object.keys(reasons).sort());
    for (const [kind, token] of Object.entries(forged)) {
      await expect(verifier.verify(await token())).rejects.toMatchObject({
        status: 401,
        bearerError: 'invalid_token',
        message: expect.stringContaining(reasons[kind] as string),
      });
    }
  });

  it('when a token grants no role scope, then it is refused naming why', async () => {
    await expect(verifier.verify(await provider.sign({ sub: 'x', scope: 'openid' }))).rejects.toMatchObject({
      status: 401,
      bearerError: 'invalid_token',
      message: expect.stringContaining('grants no role scope'),
    });
  });

  it('when a token was verified once, then it is accepted again from memory while the provider is unreachable', async () => {
    const own = await startLocalOidcProvider([clients[0] as (typeof clients)[0]]);
    const cached = createTokenVerifier({
      issuer: own.issuer,
      audience: own.audience,
      jwksUrl: own.jwksUrl,
      clockSkewSeconds: 0,
      jwksCooldownMs: 100,
      roleScopePrefix: 'inventory/',
      storesClaim: 'inventory_stores',
    });
    const token = await own.token('warehouse-7');
    const other = await own.token('warehouse-7');
    expect(await cached.verify(token)).toMatchObject({ id: 'warehouse-7' });
    await own.stop();
    expect(await cached.verify(token)).toMatchObject({ id: 'warehouse-7' });
    // A token not seen yet needs the keys: held from the first fetch, so no network call either.
    expect(await cached.verify(other)).toMatchObject({ id: 'warehouse-7' });
  }, 30_000);

  it('when the provider rotates its signing key, then tokens signed with the new key are accepted without a restart, and the old ones still', async () => {
    const before = await provider.token('warehouse-7');
    expect(await verifier.verify(before)).toMatchObject({ id: 'warehouse-7' });
    await provider.rotateKeys();
    const after = await provider.token('warehouse-7');
    expect(JSON.parse(Buffer.from(after.split('.')[0] as string, 'base64url').toString()).kid).toBe(provider.publicKey().kid);
    expect(await verifier.verify(after)).toMatchObject({ id: 'warehouse-7' });
    expect(await verifier.verify(await provider.sign({ sub: 'warehouse-7', scope: 'inventory/till' }))).toMatchObject({ role: 'till' });
  }, 30_000);
});
