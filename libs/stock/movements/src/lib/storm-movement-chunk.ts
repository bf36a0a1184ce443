import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { fnv1a32, type StockMovement } from '@inventory/domain/model';
import { MOVEMENT_ATTR, MOVEMENT_RETENTION_SECONDS, storeMovementsKey } from './movement-table';

/**
 * A storm's movements are stored compactly (the contract allows it): one item per store, storm and
 * bucket of SKUs, holding each SKU's movement as one attribute named `~<sku>` (SKUs never hold
 * `~`). Measured on DynamoDB Local, a row per movement halved the storm's write rate; on AWS it
 * costs a write unit per SKU, where a chunk costs about one per 14 SKUs. Each SKU lands in a
 * fixed bucket (a hash of its name), so a SKU's history finds its storm movements in the bucket's
 * chunks alone, through the history index (one index entry per chunk, keyed by bucket, sorted by
 * the storm's count time). Writing a SKU's attribute is idempotent: a retried job that records a
 * movement again, in whatever grouping, writes the same attribute of the same chunk.
 */
export const STORM_CHUNK_BUCKETS = 32;

/** SKU attributes set per UpdateItem: keeps each update expression well under DynamoDB's 4 KB. */
const SKUS_PER_UPDATE = 200;

const SKU_PREFIX = '~';
const RECORD = 'record';
const STORM_CHUNK = 'storm_chunk';
/** The movement fields every SKU of a chunk shares, stored once on the chunk. */
const SHARED_TEXT = ['store_id', 'reason', 'source', 'actor', 'at'] as const;

/** A hash of the SKU, stable across processes and releases (it decides where history is read). */
export function stormChunkBucket(sku: string): number {
  return fnv1a32(sku) % STORM_CHUNK_BUCKETS;
}

/** The history-index key of a store's storm chunks of one bucket (`~` keeps it apart from any SKU's). */
export const stormChunkHistoryKey = (storeId: string, bucket: number) => `${storeId}#~storms-${bucket}`;

/** Sorts among the store's movements at the storm's count time, as its movements are dated. */
export const stormChunkSortKey = (at: string, stormId: string, bucket: number) =>
  `${at}#~storm#${stormId}#${String(bucket).padStart(2, '0')}`;

/** Below every storm chunk's sort key at `at`, above every change's made then: where a store's changes up to a storm's count end. */
export const stormChunksFrom = (at: string) => `${at}#~storm#`;

export function isStormChunk(raw: Record<string, AttributeValue>): boolean {
  return raw[RECORD]?.S === STORM_CHUNK;
}

/** `movement_id|quantity_before|quantity_after|version[|shortfall]` */
function encode(movement: StockMovement): string {
  const fields = [movement.movement_id, movement.quantity_before, movement.quantity_after, movement.version];
  if (movement.shortfall !== undefined) fields.push(movement.shortfall);
  return fields.join('|');
}

/**
 * The UpdateItems that record one storm's movements of one store: per bucket, the SKUs'
 * attributes (at most SKUS_PER_UPDATE per call) and the chunk's shared fields.
 */
export function stormChunkUpdates(movementTable: string, stormId: string, movements: StockMovement[]): UpdateItemCommandInput[] {
  const byBucket = new Map<number, StockMovement[]>();
  for (const movement of movements) {
    const bucket = stormChunkBucket(movement.sku);
    const list = byBucket.get(bucket) ?? [];
    list.push(movement);
    byBucket.set(bucket, list);
  }
  const updates: UpdateItemCommandInput[] = [];
  for (const [bucket, list] of byBucket) {
    const first = list[0] as StockMovement;
    const atSeconds = Math.floor(Date.parse(first.at) / 1000);
    const shared: Record<string, AttributeValue> = {
      [MOVEMENT_ATTR.historyKey]: { S: stormChunkHistoryKey(first.store_id, bucket) },
      [MOVEMENT_ATTR.version]: { N: String(Date.parse(first.at)) },
      [MOVEMENT_ATTR.expiresAt]: { N: String(atSeconds + MOVEMENT_RETENTION_SECONDS) },
      [RECORD]: { S: STORM_CHUNK },
      reference: { S: first.reference ?? '' },
    };
    for (const field of SHARED_TEXT) shared[field] = { S: first[field] };
    for (let start = 0; start < list.length; start += SKUS_PER_UPDATE) {
      const names: Record<string, string> = {};
      const values: Record<string, AttributeValue> = {};
      const sets: string[] = [];
      Object.entries(shared).forEach(([name, value], i) => {
        names[`#f${i}`] = name;
        values[`:f${i}`] = value;
        sets.push(`#f${i} = :f${i}`);
      });
      list.slice(start, start + SKUS_PER_UPDATE).forEach((movement, i) => {
        names[`#m${i}`] = `${SKU_PREFIX}${movement.sku}`;
        values[`:m${i}`] = { S: encode(movement) };
        sets.push(`#m${i} = :m${i}`);
      });
      updates.push({
        TableName: movementTable,
        Key: {
          [MOVEMENT_ATTR.pk]: { S: storeMovementsKey(first.store_id) },
          [MOVEMENT_ATTR.sk]: { S: stormChunkSortKey(first.at, stormId, bucket) },
        },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
    }
  }
  return updates;
}

function decode(raw: Record<string, AttributeValue>, sku: string, encoded: string): StockMovement {
  const [movementId = '', before, after, version, shortfall] = encoded.split('|');
  const text = (field: string) => raw[field]?.S ?? '';
  return {
    movement_id: movementId,
    store_id: text('store_id'),
    sku,
    delta: Number(after) - Number(before),
    quantity_before: Number(before),
    quantity_after: Number(after),
    version: Number(version),
    reason: text('reason') as StockMovement['reason'],
    source: text('source') as StockMovement['source'],
    reference: raw['reference']?.S || null,
    actor: text('actor'),
    on_behalf_of: null,
    idempotency_key: null,
    request_id: null,
    at: text('at'),
    ...(shortfall === undefined ? {} : { shortfall: Number(shortfall) }),
  };
}

/** A chunk's movements, ordered by SKU. */
export function stormChunkMovements(raw: Record<string, AttributeValue>): StockMovement[] {
  const movements: StockMovement[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name.startsWith(SKU_PREFIX) && value.S) movements.push(decode(raw, name.slice(SKU_PREFIX.length), value.S));
  }
  return movements.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/** What reading one SKU's movement needs of a chunk (a chunk holds a bucket's SKUs): its attribute and the shared fields. */
export function stormChunkProjectionOf(sku: string): { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> } {
  const names: Record<string, string> = { '#c0': `${SKU_PREFIX}${sku}`, '#c1': 'reference' };
  SHARED_TEXT.forEach((field, i) => (names[`#c${i + 2}`] = field));
  return { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names };
}

/** One SKU's movement in a chunk, if the chunk holds one. */
export function stormChunkMovementOf(raw: Record<string, AttributeValue>, sku: string): StockMovement | undefined {
  const encoded = raw[`${SKU_PREFIX}${sku}`]?.S;
  return encoded ? decode(raw, sku, encoded) : undefined;
}
