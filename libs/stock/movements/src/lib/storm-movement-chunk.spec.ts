import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { StockMovement } from '@inventory/domain/model';
import {
  STORM_CHUNK_BUCKETS,
  stormChunkBucket,
  stormChunkMovementOf,
  stormChunkMovements,
  stormChunkUpdates,
} from './storm-movement-chunk';

const movement = (sku: string, i: number): StockMovement => ({
  movement_id: `m-${i}`,
  store_id: 'store-1',
  sku,
  delta: i - 3,
  quantity_before: 3,
  quantity_after: i,
  version: 1000 + i,
  reason: 'restock_sync',
  source: 'storm',
  reference: 'storm:storm-1',
  actor: 'restock-worker',
  idempotency_key: null,
  request_id: null,
  at: '2026-12-03T10:00:00.000Z',
  ...(i % 7 === 0 ? { shortfall: i } : {}),
});

/** The chunk items the updates would leave, as DynamoDB applies SET to an item by key. */
function apply(updates: ReturnType<typeof stormChunkUpdates>): Map<string, Record<string, AttributeValue>> {
  const items = new Map<string, Record<string, AttributeValue>>();
  for (const update of updates) {
    const key = JSON.stringify(update.Key);
    const item = items.get(key) ?? { ...update.Key };
    for (const clause of (update.UpdateExpression ?? '').replace(/^SET /, '').split(', ')) {
      const [name = '', value = ''] = clause.split(' = ');
      item[update.ExpressionAttributeNames?.[name] ?? ''] = update.ExpressionAttributeValues?.[value] as AttributeValue;
    }
    items.set(key, item);
  }
  return items;
}

describe('storm movement chunks', () => {
  const movements = Array.from({ length: 5_000 }, (_, i) => movement(`SKU-${1001 + i}`, i));

  it('when a 5,000-SKU store is recorded, then every movement reads back whole, from its bucket, in SKU order', () => {
    const chunks = apply(stormChunkUpdates('t-movements', 'storm-1', movements));
    expect(chunks.size).toBe(STORM_CHUNK_BUCKETS);
    const all = [...chunks.values()].flatMap(stormChunkMovements);
    expect(all.sort((a, b) => a.version - b.version)).toEqual(movements);
    for (const chunk of chunks.values()) {
      const skus = stormChunkMovements(chunk).map((m) => m.sku);
      expect(skus).toEqual([...skus].sort());
      expect(new Set(skus.map(stormChunkBucket)).size).toBe(1);
    }
    const sample = movements[42] as StockMovement;
    const itsChunk = [...chunks.values()].find((chunk) => stormChunkMovementOf(chunk, sample.sku));
    expect(stormChunkMovementOf(itsChunk ?? {}, sample.sku)).toEqual(sample);
  });

  it('when updates are built, then each expression stays under DynamoDB 4 KB limit', () => {
    for (const update of stormChunkUpdates('t-movements', 'storm-1', movements)) {
      expect(Buffer.byteLength(update.UpdateExpression ?? '')).toBeLessThan(4096);
    }
  });

  it('when the same movements are recorded again in another grouping, then the chunks hold the same, once', () => {
    const once = apply(stormChunkUpdates('t', 'storm-1', movements.slice(0, 300)));
    const twice = apply([
      ...stormChunkUpdates('t', 'storm-1', movements.slice(0, 300)),
      ...stormChunkUpdates('t', 'storm-1', movements.slice(100, 200).reverse()),
    ]);
    expect(twice).toEqual(once);
  });

  it('when SKUs are bucketed, then the buckets are stable and spread', () => {
    expect(stormChunkBucket('SKU-1001')).toBe(stormChunkBucket('SKU-1001'));
    const sizes = new Array<number>(STORM_CHUNK_BUCKETS).fill(0);
    for (const m of movements) sizes[stormChunkBucket(m.sku)] = (sizes[stormChunkBucket(m.sku)] ?? 0) + 1;
    expect(Math.min(...sizes)).toBeGreaterThan(5_000 / STORM_CHUNK_BUCKETS / 2);
  });
});
