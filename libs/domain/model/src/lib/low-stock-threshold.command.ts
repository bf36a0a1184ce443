import { z } from 'zod';
import { MAX_QUANTITY } from './inventory-item';

/**
 * `PUT /inventory/store/{storeId}/sku/{sku}/threshold` body: the quantity at or below which the SKU
 * is low (apps/README.md#events-and-webhooks); `null` removes the threshold.
 */
export const lowStockThresholdCommandSchema = z.object(
  {
    low_stock_at: z
      .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a whole number or null') })
      .int('must be a whole number')
      .min(0, 'must not be negative')
      .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`)
      .nullable(),
  },
  { error: 'request body must be a JSON object' },
);

export type LowStockThresholdCommand = z.infer<typeof lowStockThresholdCommandSchema>;
