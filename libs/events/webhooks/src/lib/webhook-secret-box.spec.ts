import { randomBytes } from 'node:crypto';
import { WebhookSecretBox } from './webhook-secret-box';

describe('webhook secrets at rest', () => {
  const box = new WebhookSecretBox(randomBytes(32).toString('base64'));

  it('when a secret is sealed, then the stored value holds none of it and opens to it for its own webhook', () => {
    const stored = box.seal('whsec-0123456789abcdef', 'wh-1');
    expect(stored).toMatch(/^aes256gcm:/);
    expect(stored).not.toContain('whsec');
    expect(box.open(stored, 'wh-1')).toEqual({ secret: 'whsec-0123456789abcdef', sealed: true });
  });

  it('when the same secret is sealed twice, then the stored values differ (a fresh nonce each time)', () => {
    expect(box.seal('same', 'wh-1')).not.toBe(box.seal('same', 'wh-1'));
  });

  it("when a sealed secret is copied onto another webhook's row, or opened under another key, then it does not open", () => {
    const stored = box.seal('whsec-x', 'wh-1');
    expect(() => box.open(stored, 'wh-2')).toThrow();
    expect(() => new WebhookSecretBox(randomBytes(32).toString('base64')).open(stored, 'wh-1')).toThrow();
  });

  it('when a stored value was written before sealing (no prefix), then it reads as it is, marked unsealed', () => {
    expect(box.open('plain-old-secret', 'wh-1')).toEqual({ secret: 'plain-old-secret', sealed: false });
  });

  it('when the key is not 32 bytes, then the box refuses it', () => {
    expect(() => new WebhookSecretBox(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
