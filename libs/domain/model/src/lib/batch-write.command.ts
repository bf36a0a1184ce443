import { z } from 'zod';
import { skuSchema, storeIdSchema } from './identifiers';
import { MAX_QUANTITY } from './inventory-item';
import { reasonSchema, referenceSchema } from './stock-movement';

/**
 * Rows a batch may carry, by error policy (apps/README.md#batches): all-or-none is one DynamoDB
 * transaction of at most 100 actions, one of which is the batch's notice.
 */
export const BATCH_ROW_LIMITS = { reject_all: 99, reject_failed_rows: 1_000 } as const;
export type BatchErrorPolicy = keyof typeof BATCH_ROW_LIMITS;

const wholeQuantity = (error: string) =>
  z.number({ error }).int('must be a whole number').min(0, 'must not be negative').max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`);

const batchRowSchema = z
  .object(
    {
      sku: skuSchema,
      quantity: wholeQuantity('must be a number').optional(),
      delta: z
        .number({ error: 'must be a number' })
        .int('must be a whole number')
        .min(-MAX_QUANTITY, `must be at least -${MAX_QUANTITY}`)
        .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`)
        .refine((value) => value !== 0, 'must not be 0')
        .optional(),
      change_from_quantity: wholeQuantity('must be a whole number or null').nullable().optional(),
      reason: reasonSchema.default('correction'),
      reference: referenceSchema.optional(),
    },
    { error: 'must be an object' },
  )
  .superRefine((row, context) => {
    if (row.quantity !== undefined && row.delta !== undefined) {
      context.addIssue({ code: 'custom', path: ['delta'], message: 'must not be given with quantity: a row either sets or adjusts' });
    } else if (row.quantity === undefined && row.delta === undefined) {
      context.addIssue({ code: 'custom', path: ['quantity'], message: 'or delta is required' });
    } else if (row.delta !== undefined && row.change_from_quantity !== undefined) {
      context.addIssue({ code: 'custom', path: ['change_from_quantity'], message: 'applies to a set (quantity), not to a delta' });
    }
  });

/**
 * `POST /inventory/batch` body: many rows of one store. Each row is a set or an adjust, checked as
 * the single writes check them; a SKU may appear once, so a batch's outcome never depends on the
 * order its rows are applied in.
 */
export const batchWriteCommandSchema = z
  .object(
    {
      store_id: storeIdSchema,
      error_policy: z.enum(['reject_all', 'reject_failed_rows'], {
        error: (issue) => (issue.input === undefined ? 'is required' : 'must be reject_all or reject_failed_rows'),
      }),
      rows: z
        .array(batchRowSchema, { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an array of rows') })
        .min(1, 'must hold at least one row')
        .max(BATCH_ROW_LIMITS.reject_failed_rows, `must hold at most ${BATCH_ROW_LIMITS.reject_failed_rows} rows`),
    },
    { error: 'request body must be a JSON object' },
  )
  .superRefine((batch, context) => {
    const limit = BATCH_ROW_LIMITS[batch.error_policy];
    if (batch.rows.length > limit) {
      context.addIssue({
        code: 'custom',
        path: ['rows'],
        message: `must hold at most ${limit} rows with error_policy ${batch.error_policy}`,
      });
    }
    const firstRow = new Map<string, number>();
    batch.rows.forEach((row, index) => {
      const first = firstRow.get(row.sku);
      if (first === undefined) firstRow.set(row.sku, index);
      else context.addIssue({ code: 'custom', path: ['rows', index, 'sku'], message: `repeats rows.${first}.sku: a SKU may appear once` });
    });
  });

export type BatchWriteCommand = z.infer<typeof batchWriteCommandSchema>;
export type BatchRow = BatchWriteCommand['rows'][number];
