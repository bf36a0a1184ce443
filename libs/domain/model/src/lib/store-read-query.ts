import { z } from 'zod';
import { storeIdSchema } from './identifiers';

export const MAX_STORE_PAGE = 1_000;
export const DEFAULT_STORE_PAGE = 100;
export const MAX_STORES_PER_SKU_READ = 100;

const once = { error: 'must be given once' };

/**
 * `GET /inventory/store/{storeId}` (apps/README.md#http-contract): no parameter, the whole store as the original; `limit`
 * (1–1,000) and/or `cursor`, one page in SKU order; `since_version`, only what changed after it.
 * Out of range or not a whole number is a 400, never clamped.
 */
export const storeReadQuerySchema = z
  .object({
    limit: z
      .string(once)
      .regex(/^\d{1,7}$/, 'must be a whole number')
      .transform(Number)
      .refine((value) => value >= 1 && value <= MAX_STORE_PAGE, `must be between 1 and ${MAX_STORE_PAGE}`)
      .optional(),
    cursor: z.string(once).min(1, 'must not be empty').max(1_024, 'is not a cursor this API issued').optional(),
    since_version: z
      .string(once)
      .regex(/^\d{1,16}$/, 'must be a whole number (a store version)')
      .transform(Number)
      .refine(Number.isSafeInteger, 'is beyond any store version')
      .optional(),
  })
  .refine((query) => query.since_version === undefined || (query.limit === undefined && query.cursor === undefined), {
    path: ['since_version'],
    message: 'cannot be combined with limit or cursor',
  })
  .transform((query) =>
    query.since_version !== undefined
      ? ({ kind: 'delta', since: query.since_version } as const)
      : query.limit !== undefined || query.cursor !== undefined
        ? ({ kind: 'page', limit: query.limit ?? DEFAULT_STORE_PAGE, cursor: query.cursor } as const)
        : ({ kind: 'whole' } as const),
  );

export type StoreReadQuery = z.output<typeof storeReadQuerySchema>;

/** `GET /inventory/sku/{sku}?stores=a,b,…`: 1–100 distinct store ids. */
export const skuAcrossStoresQuerySchema = z.object({
  stores: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required: a comma-separated list of store ids' : 'must be given once') })
    .transform((value) => (value === '' ? [] : value.split(',')))
    .pipe(
      z
        .array(storeIdSchema)
        .min(1, 'must list at least one store id')
        .max(MAX_STORES_PER_SKU_READ, `must list at most ${MAX_STORES_PER_SKU_READ} stores`)
        .refine((stores) => new Set(stores).size === stores.length, 'must not list a store twice'),
    ),
});
