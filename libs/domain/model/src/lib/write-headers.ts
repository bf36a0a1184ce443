import { z } from 'zod';
import { CONTROL_CHARS } from './identifiers';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
export const MAX_ACTOR_LENGTH = 128;
export const ANONYMOUS_ACTOR = 'anonymous';

/** `Idempotency-Key`: 1–255 visible ASCII characters (`!` to `~`); clients send UUIDs. */
export const idempotencyKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_IDEMPOTENCY_KEY_LENGTH, `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`)
  .regex(/^[!-~]+$/, 'may contain only visible ASCII characters (! to ~)');

/**
 * `X-Actor`: who the authenticated caller acts for (the cashier at a till), recorded as the
 * movement's `on_behalf_of`, never as its `actor`; absent or blank: nobody.
 */
export const onBehalfOfSchema = z
  .string()
  .max(MAX_ACTOR_LENGTH, `must be at most ${MAX_ACTOR_LENGTH} characters`)
  .refine((value) => !CONTROL_CHARS.test(value), 'must not contain control characters')
  .transform((value) => value.trim() || undefined);

/** The headers of a stock write, as one object so one parse names every bad one. */
export const writeHeadersSchema = z.object({
  'Idempotency-Key': idempotencyKeySchema.optional(),
  'X-Actor': onBehalfOfSchema.optional(),
});

export type WriteHeaders = z.infer<typeof writeHeadersSchema>;
