import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const SEALED = 'aes256gcm:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Webhook secrets at rest (apps/README.md#events-and-webhooks): AES-256-GCM under a key from
 * configuration, each secret bound to its webhook's id (the authenticated data), so a sealed secret
 * copied onto another row does not open. A value without the prefix is a row written before
 * secrets were sealed: read as it is, and sealed by the repository the first time it is read.
 */
export class WebhookSecretBox {
  private readonly key: Buffer;

  /** `key`: 32 bytes, base64. */
  constructor(key: string) {
    this.key = Buffer.from(key, 'base64');
    if (this.key.length !== 32) throw new Error('a webhook secret key is 32 bytes, base64');
  }

  seal(secret: string, webhookId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(webhookId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return SEALED + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
  }

  /** The secret, and whether it was stored in the clear (a row from before sealing). */
  open(stored: string, webhookId: string): { secret: string; sealed: boolean } {
    if (!stored.startsWith(SEALED)) return { secret: stored, sealed: false };
    const bytes = Buffer.from(stored.slice(SEALED.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES))
      .setAAD(Buffer.from(webhookId))
      .setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const secret = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    return { secret, sealed: true };
  }
}

/** APP_ENV=local's key, when none is configured (configuration requires one anywhere else): not a secret. */
const LOCAL_DEVELOPMENT_KEY = Buffer.alloc(32, 'local-development-only').toString('base64');

/** The box for the configured key (`WEBHOOK_SECRET_KEY`), or local development's. */
export function webhookSecretBox(configuredKey: string | undefined): WebhookSecretBox {
  return new WebhookSecretBox(configuredKey ?? LOCAL_DEVELOPMENT_KEY);
}
