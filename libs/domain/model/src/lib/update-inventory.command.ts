import { z } from 'zod';
import { skuSchema, storeIdSchema } from './identifiers';
import { MAX_QUANTITY } from './inventory-item';
import { reasonSchema, referenceSchema } from './stock-movement';

const required = (kind: string) => (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${kind}`);

/**
 * `POST /inventory/update` body: the original's set, plus an optional compare-and-swap and the
 * movement's reason and reference. Unknown fields are ignored (as the Go service's JSON decoding
 * did), so older and newer clients keep working; every known field is checked strictly.
 */
export const updateInventoryCommandSchema = z.object(
  {
    store_id: storeIdSchema,
    sku: skuSchema,
    quantity: z
      .number({ error: required('a number') })
      .min(0, 'must not be negative')
      .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`)
      .int('must be a whole number'),
    /** The quantity the caller last saw; `null` or absent: no check. An unknown SKU holds 0. */
    change_from_quantity: z
      .number({ error: 'must be a whole number or null' })
      .int('must be a whole number')
      .min(0, 'must not be negative')
      .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`)
      .nullable()
      .optional(),
    reason: reasonSchema.default('correction'),
    reference: referenceSchema.optional(),
  },
  { error: 'request body must be a JSON object' },
);

export type UpdateInventoryCommand = z.infer<typeof updateInventoryCommandSchema>;

/** `POST /inventory/adjust` body: a signed change applied atomically, never below 0. */
export const adjustInventoryCommandSchema = z.object(
  {
    store_id: storeIdSchema,
    sku: skuSchema,
    delta: z
      .number({ error: required('a number') })
      .int('must be a whole number')
      .min(-MAX_QUANTITY, `must be at least -${MAX_QUANTITY}`)
      .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`)
      .refine((value) => value !== 0, 'must not be 0'),
    reason: reasonSchema.default('correction'),
    reference: referenceSchema.optional(),
  },
  { error: 'request body must be a JSON object' },
);

export type AdjustInventoryCommand = z.infer<typeof adjustInventoryCommandSchema>;
