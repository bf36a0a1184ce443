import { z } from 'zod';
import { skuSchema, storeIdSchema } from './identifiers';
import { MAX_QUANTITY } from './inventory-item';

/**
 * `POST /inventory/update` body. Unknown fields are ignored (as the Go service's JSON decoding
 * did), so older and newer clients keep working; every known field is checked strictly.
 */
export const updateInventoryCommandSchema = z.object(
  {
    store_id: storeIdSchema,
    sku: skuSchema,
    quantity: z
      .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number') })
      .min(0, 'must not be negative')
      .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`)
      .int('must be a whole number'),
  },
  { error: 'request body must be a JSON object' },
);

export type UpdateInventoryCommand = z.infer<typeof updateInventoryCommandSchema>;
