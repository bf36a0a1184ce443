import { randomUUID } from 'node:crypto';
import { rfc3339 } from '@inventory/domain/model';
import type { StockWriteRepository } from './lib/stock-write.repository';

/**
 * Test support for the table's users (a second entry, kept out of the lib's main one). Sets a SKU in the table as write-api would (with its movement), but leaves the counters and the
 * read version alone: the state a pod that died after its DynamoDB write leaves behind. Answers
 * what the counters would have applied.
 */
export async function setQuantityInTableOnly(
  writes: StockWriteRepository,
  storeId: string,
  sku: string,
  quantity: number,
): Promise<{ sku: string; version: number; quantity: number }> {
  const expected = await writes.readState(storeId, sku);
  const now = new Date();
  const version = expected.version + 1;
  await writes.commit({
    expected,
    kind: 'set',
    updatedAt: rfc3339(now),
    movement: {
      movement_id: randomUUID(),
      store_id: storeId,
      sku,
      delta: quantity - expected.quantity,
      quantity_before: expected.quantity,
      quantity_after: quantity,
      version,
      reason: 'correction',
      source: 'api',
      reference: null,
      actor: 'test',
      on_behalf_of: null,
      idempotency_key: null,
      request_id: null,
      at: now.toISOString(),
    },
  });
  return { sku, version, quantity };
}
