import { z } from 'zod';
import { storeIdSchema } from './identifiers';

export const MAX_STORE_PAGE = 1_000;
export const DEFAULT_STORE_PAGE = 100;
export const MAX_STORES_PER_SKU_READ = 100;

const once = { error: 'must be given once' };

/** A store version: what a delta read asks for the changes after. */
const sinceVersionSchema = z
  .string(once)
  .regex(/^\d{1,16}$/, 'must be a whole number (a store version)')
  .transform(Number)
  .refine(Number.isSafeInteger, 'is beyond any store version');

/**
 * `GET /inventory/store/{storeId}` (apps/README.md#http-contract): no parameter, the whole store as the original; `limit`
 * (1–1,000) and/or `cursor`, one page in SKU order; `since_version`, a delta read, which moved to
 * `/changes` (the route answers 308 there). Out of range or not a whole number is a 400, never clamped.
 */
export const storeReadQuerySchema = z
  .object({
    limit: z
      .string(once)
      .regex(/^\d{1,7}$/, 'must be a whole number')
      .transform(Number)
      .refine((value) => value >= 1 && value <= MAX_STORE_PAGE, `must be between 1 and ${MAX_STORE_PAGE}`)
      // What the API document says of it: a query string's text, read as the integer it must be.
      .meta({ type: 'integer', minimum: 1, maximum: MAX_STORE_PAGE })
      .optional(),
    cursor: z.string(once).min(1, 'must not be empty').max(1_024, 'is not a cursor this API issued').optional(),
    since_version: sinceVersionSchema
      .meta({
        type: 'integer',
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        deprecated: true,
        description: 'moved: answered `308` to getStoreChanges (`/inventory/store/{storeId}/changes`)',
      })
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

/** `GET /inventory/store/{storeId}/changes?since_version=N`: what changed in the store after version N. */
export const storeChangesQuerySchema = z.object({
  since_version: z
    .string({
      error: (issue) => (issue.input === undefined ? 'is required: the store version to read the changes after' : 'must be given once'),
    })
    .pipe(sinceVersionSchema)
    .meta({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
});

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
