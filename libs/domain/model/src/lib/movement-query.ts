import { z } from 'zod';

export const MAX_MOVEMENTS_PAGE = 500;
export const DEFAULT_MOVEMENTS_PAGE = 100;

/** `?limit=`: 1–500, default 100; out of range or not a whole number is a 400, never clamped. */
const limitSchema = z
  .string({ error: 'must be given once' })
  .regex(/^\d{1,6}$/, 'must be a whole number')
  .transform(Number)
  .refine((value) => value >= 1 && value <= MAX_MOVEMENTS_PAGE, `must be between 1 and ${MAX_MOVEMENTS_PAGE}`)
  // What the API document says of it: a query string's text, read as the integer it must be.
  .meta({ type: 'integer', minimum: 1, maximum: MAX_MOVEMENTS_PAGE })
  .default(DEFAULT_MOVEMENTS_PAGE);

const cursorSchema = z.string({ error: 'must be given once' }).min(1, 'must not be empty').max(1_024, 'is not a cursor this API issued');

/** Paging of a SKU's movements. */
export const skuMovementsQuerySchema = z.object({ limit: limitSchema, cursor: cursorSchema.optional() });

/** Paging of a store's movements from `since` (RFC 3339, inclusive; default: as far back as kept). */
export const storeMovementsQuerySchema = z.object({
  limit: limitSchema,
  cursor: cursorSchema.optional(),
  since: z
    .string({ error: 'must be given once' })
    .pipe(z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time, e.g. 2026-12-01T00:00:00Z' }))
    .transform((value) => new Date(value).toISOString())
    .optional(),
});
