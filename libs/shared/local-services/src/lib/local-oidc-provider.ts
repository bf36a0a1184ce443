import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { freePort } from './local-redis';
import { stopProcess } from './stop-process';

/** A machine client registered at start: the role scopes it may ask for, and its stores. */
export interface OidcClient {
  client_id: string;
  client_secret: string;
  /** Space-separated, e.g. `inventory/till`. */
  scope: string;
  inventory_stores: string[] | '*';
}

export interface LocalOidcProvider {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** An access token for a registered client, by the client-credentials grant. */
  token: (clientId: string, scope?: string) => Promise<string>;
  /**
   * Signs any claims with the provider's current key (`iss`, `aud`, `exp` defaulted as the
   * provider's own): for the tokens no honest provider issues (expired, not yet valid, another
   * audience) that must still fail for their claims, not their signature.
   */
  sign: (claims: Record<string, unknown>, header?: Record<string, unknown>) => Promise<string>;
  /** The provider's public signing key, as published (for forging an HS256 token keyed with it). */
  publicKey: () => JWK;
  /** Restarts on the same port with a new signing key first (the old one still published): a key rotation. */
  rotateKeys: () => Promise<void>;
  stop: () => Promise<void>;
}

const SCRIPT = join(__dirname, '..', '..', 'oidc', 'oidc-provider.mjs');

async function newKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    ...(await exportJWK(privateKey)),
    kid: `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    use: 'sig',
    alg: 'RS256',
  };
}

/**
 * A real OpenID provider (oidc-provider) in a process of its own on a local port, with the
 * `clients` registered: the platform verifies its tokens against its JWKS as it would Cognito's.
 */
export async function startLocalOidcProvider(
  clients: OidcClient[],
  options: { audience?: string; ttlSeconds?: number; port?: number } = {},
): Promise<LocalOidcProvider> {
  const port = options.port || (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const audience = options.audience ?? 'https://inventory.local';
  const dir = mkdtempSync(join(tmpdir(), 'oidc-'));
  let keys = [await newKey()];
  let child: ChildProcess | undefined;

  const start = async () => {
    const settingsFile = join(dir, 'settings.json');
    writeFileSync(settingsFile, JSON.stringify({ port, issuer, audience, ttlSeconds: options.ttlSeconds ?? 300, keys, clients }), {
      mode: 0o600,
    });
    const started = spawn(process.execPath, [SCRIPT, settingsFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
    const lines = createInterface({ input: started.stdout as NodeJS.ReadableStream });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`OpenID provider did not start within 20 s: ${stderr}`)), 20_000);
      lines.on('line', (line) => {
        if (!line.startsWith('listening')) return;
        clearTimeout(timer);
        resolve();
      });
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`OpenID provider exited (${code}): ${stderr}`));
      });
    });
    child = started;
  };
  await start();

  const publicOf = (key: JWK): JWK => ({ kty: key.kty, n: key.n, e: key.e, kid: key.kid, alg: key.alg, use: key.use });
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    audience,
    token: async (clientId, scope) => {
      const client = clients.find((candidate) => candidate.client_id === clientId);
      if (!client) throw new Error(`no client ${clientId}`);
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: scope ?? client.scope, resource: audience }),
      });
      const answer = (await response.json()) as { access_token?: string; error_description?: string };
      if (!answer.access_token) throw new Error(`no token for ${clientId}: ${answer.error_description ?? response.status}`);
      return answer.access_token;
    },
    sign: async (claims, header = {}) => {
      const key = keys[0] as JWK;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, aud: audience, iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header })
        .sign(await importJWK(key, 'RS256'));
    },
    publicKey: () => publicOf(keys[0] as JWK),
    rotateKeys: async () => {
      keys = [await newKey(), ...keys];
      if (child) await stopProcess(child);
      await start();
    },
    stop: async () => {
      if (child) await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
