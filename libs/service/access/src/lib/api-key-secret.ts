import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A platform API key: `invk_<key id>_<secret>`, the prefix recognisable (secret scanners, logs) and
 * the secret 32 random bytes. Only the key's SHA-256 is stored: a key this random needs no slow hash.
 */
const API_KEY = /^invk_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  keyId: string;
  /** The whole key, shown once to whoever created it. */
  secret: string;
  hash: string;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newApiKey(): NewApiKey {
  const keyId = randomBytes(8).toString('hex');
  const secret = `invk_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { keyId, secret, hash: hashApiKey(secret) };
}

/** The key id of a string shaped as a platform key, else undefined. */
export function apiKeyIdOf(presented: string): string | undefined {
  return API_KEY.exec(presented)?.[1];
}

/** Whether `presented` hashes to `hash`, compared in constant time. */
export function matchesHash(presented: string, hash: string): boolean {
  const given = Buffer.from(hashApiKey(presented), 'hex');
  const stored = Buffer.from(hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
