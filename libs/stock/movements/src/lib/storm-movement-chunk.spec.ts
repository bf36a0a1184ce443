import { randomUUID } from 'node:crypto';
import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient, deleteTables } from '@inventory/shared/dynamodb';
import { type LocalDynamoDb, startLocalDynamoDb } from '@inventory/shared/local-services';
import { MovementHistoryRepository } from './movement-history.repository';
import { ensureMovementTable, movementTableName } from './movement-table';
import type { StockMovement } from '@inventory/domain/model';
import {
  isStormChunk,
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
  on_behalf_of: null,
  idempotency_key: null,
  request_id: null,
  at: '2026-12-03T10:00:00.000Z',
  ...(i % 7 === 0 ? { shortfall: i } : {}),
});

/** The chunk items the movements table holds, by key (read strongly consistent from DynamoDB Local). */
async function chunksIn(client: DynamoDBClient, table: string): Promise<Map<string, Record<string, AttributeValue>>> {
  const chunks = new Map<string, Record<string, AttributeValue>>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) if (isStormChunk(item)) chunks.set(JSON.stringify([item['pk'], item['sk']]), item);
    start = page.LastEvaluatedKey;
  } while (start);
  return chunks;
}

describe('storm movement chunks (recorded in DynamoDB Local)', () => {
  const movements = Array.from({ length: 5_000 }, (_, i) => movement(`SKU-${1001 + i}`, i));
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  const tables: string[] = [];
  /** A movements table of its own, and its repository. */
  async function freshHistory(): Promise<{ history: MovementHistoryRepository; table: string }> {
    const inventoryTable = `chunks-${randomUUID().slice(0, 8)}`;
    await ensureMovementTable(client, inventoryTable);
    tables.push(movementTableName(inventoryTable));
    return { history: new MovementHistoryRepository(client, inventoryTable), table: movementTableName(inventoryTable) };
  }

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb(0, '127.0.0.1');
    client = createDynamoDbClient({ region: 'us-east-1', endpoint: dynamo.url, timeoutMs: 30_000 });
  });

  afterAll(async () => {
    await deleteTables(client, tables);
    client.destroy();
    await dynamo.stop();
  });

  it('when a 5,000-SKU store is recorded, then every movement reads back whole, from its bucket, in SKU order', async () => {
    const { history, table } = await freshHistory();
    await history.recordStormMovements('storm-1', movements);
    const chunks = await chunksIn(client, table);
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

  it('when the same movements are recorded again in another grouping (a retried job), then the chunks hold the same, once', async () => {
    const { history, table } = await freshHistory();
    await history.recordStormMovements('storm-1', movements.slice(0, 300));
    const once = await chunksIn(client, table);
    await history.recordStormMovements('storm-1', movements.slice(0, 300));
    await history.recordStormMovements('storm-1', movements.slice(100, 200).reverse());
    expect(await chunksIn(client, table)).toEqual(once);
    expect([...once.values()].flatMap(stormChunkMovements)).toHaveLength(300);
  });

  it('when SKUs are bucketed, then the buckets are stable and spread', () => {
    expect(stormChunkBucket('SKU-1001')).toBe(stormChunkBucket('SKU-1001'));
    const sizes = new Array<number>(STORM_CHUNK_BUCKETS).fill(0);
    for (const m of movements) sizes[stormChunkBucket(m.sku)] = (sizes[stormChunkBucket(m.sku)] ?? 0) + 1;
    expect(Math.min(...sizes)).toBeGreaterThan(5_000 / STORM_CHUNK_BUCKETS / 2);
  });
});
