import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Inventory-Signature';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes with the webhook's secret>` (apps/README.md#events-and-webhooks). */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
