import { createHmac } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import type { LocalOidcProvider } from './local-oidc-provider';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/**
 * Every kind of bearer token an attacker or a broken client presents, made against `provider`:
 * each must be refused with 401 `invalid_token` naming why. Claims and keys are the provider's
 * own wherever the kind allows, so each fails for its one fault alone. `role` is the scope claimed.
 */
export function forgedTokens(provider: LocalOidcProvider, role = 'inventory/admin'): Record<string, () => Promise<string>> {
  const honest = () => ({ sub: 'forger', scope: role, iss: provider.issuer, aud: provider.audience, exp: now() + 60 });
  return {
    'expired (beyond the 30 s skew)': () => provider.sign({ sub: 'forger', scope: role, exp: now() - 60 }),
    'not valid yet': () => provider.sign({ sub: 'forger', scope: role, nbf: now() + 120 }),
    'from another issuer': () => provider.sign({ sub: 'forger', scope: role, iss: 'https://evil.example' }),
    'for another audience': () => provider.sign({ sub: 'forger', scope: role, aud: 'https://other-api.example' }),
    'unsigned (alg none)': async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(honest())}.`,
    // The classic confusion attack: HS256 with the RSA public key's bytes as the HMAC secret.
    'HS256 keyed with the public key': async () => {
      const signed = `${b64({ alg: 'HS256', typ: 'JWT', kid: provider.publicKey().kid })}.${b64(honest())}`;
      return `${signed}.${createHmac('sha256', JSON.stringify(provider.publicKey())).update(signed).digest('base64url')}`;
    },
    'signed by another key under the real key id': async () => {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      return new SignJWT(honest()).setProtectedHeader({ alg: 'RS256', kid: provider.publicKey().kid }).sign(privateKey);
    },
    malformed: async () => 'a.b.c',
  };
}
