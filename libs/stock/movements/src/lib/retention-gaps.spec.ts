import { randomUUID } from 'node:crypto';
import { type DynamoDBClient, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient, deleteTables } from '@inventory/shared/dynamodb';
import { type LocalDynamoDb, startLocalDynamoDb } from '@inventory/shared/local-services';
import type { StockMovement } from '@inventory/domain/model';
import { batchNoticePut } from './batch-change-notice';
import { movementItem } from './movement-item';
import { MovementHistoryRepository, type GapMovement } from './movement-history.repository';
import { ensureMovementTable, movementTableName } from './movement-table';
import { RetentionGaps } from './retention-gaps';

const movement = (sku: string, version: number, at: string, extra: Partial<StockMovement> = {}): StockMovement => ({
  movement_id: `m-${sku}-${version}`,
  store_id: 'store-1',
  sku,
  delta: 1,
  quantity_before: version - 1,
  quantity_after: version,
  version,
  reason: 'receiving',
  source: 'api',
  reference: null,
  actor: 'till-7',
  on_behalf_of: null,
  idempotency_key: null,
  request_id: 'req-1',
  at,
  ...extra,
});

describe('retention gaps and the movements of a gap (DynamoDB Local)', () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  const inventoryTable = `gaps-${randomUUID().slice(0, 8)}`;
  let history: MovementHistoryRepository;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb(0, '127.0.0.1');
    client = createDynamoDbClient({ region: 'us-east-1', endpoint: dynamo.url, timeoutMs: 30_000 });
    await ensureMovementTable(client, inventoryTable);
    history = new MovementHistoryRepository(client, inventoryTable);
  });

  afterAll(async () => {
    await deleteTables(client, [movementTableName(inventoryTable)]);
    client.destroy();
    await dynamo.stop();
  });

  it("when a store's movements are asked for a window, then those of the window come (a storm's from its earlier start, a batch's rebuilt from its notice, once), each SKU's in version order", async () => {
    const table = movementTableName(inventoryTable);
    const put = (m: StockMovement) => client.send(new PutItemCommand({ TableName: table, Item: movementItem(m, 'adjust') }));
    await put(movement('SKU-A', 1, '2026-12-01T09:59:59.999Z')); // before the window
    await put(movement('SKU-A', 2, '2026-12-01T10:00:00.000Z'));
    await put(movement('SKU-A', 3, '2026-12-01T10:30:00.000Z'));
    await put(movement('SKU-A', 4, '2026-12-01T11:00:00.001Z')); // after it
    // A storm counted before the window, written in it.
    await history.recordStormMovements('storm-1', [
      movement('SKU-S', 9, '2026-12-01T09:30:00.000Z', { source: 'storm', reason: 'restock_sync' }),
    ]);
    // A batch of two rows: one row's movement recorded by the consumer before the stream dropped the rest.
    const rows: Array<{ movement: StockMovement; kind: 'set' | 'adjust' }> = [
      { movement: movement('SKU-B', 1, '2026-12-01T10:15:00.000Z', { movement_id: 'b-1', reference: 'PO-9' }), kind: 'set' },
      {
        movement: movement('SKU-C', 5, '2026-12-01T10:15:00.000Z', {
          movement_id: 'b-2',
          delta: -2,
          quantity_before: 7,
          quantity_after: 5,
        }),
        kind: 'adjust' as const,
      },
    ];
    await client.send(new TransactWriteItemsCommand({ TransactItems: [batchNoticePut(table, rows)] }));
    const [recordedRow, droppedRow] = rows as [(typeof rows)[number], (typeof rows)[number]];
    await client.send(new PutItemCommand({ TableName: table, Item: movementItem(recordedRow.movement, 'set') }));

    const found: GapMovement[] = [];
    const window = { from: '2026-12-01T10:00:00.000Z', through: '2026-12-01T11:00:00.000Z', stormFrom: '2026-12-01T09:00:00.000Z' };
    for await (const page of history.gapMovements('store-1', window)) found.push(...page);
    expect(found.map(({ movement: m, recorded }) => [m.sku, m.version, recorded])).toEqual([
      ['SKU-A', 2, true],
      ['SKU-A', 3, true],
      ['SKU-B', 1, true],
      ['SKU-C', 5, false],
      ['SKU-S', 9, true],
    ]);
    // The row nobody recorded, whole from its notice: as the consumer would have recorded it from the stream.
    expect(found.find(({ movement: m }) => m.sku === 'SKU-C')).toEqual({ movement: droppedRow.movement, kind: 'adjust', recorded: false });
    expect(found.find(({ movement: m }) => m.sku === 'SKU-B')?.movement).toEqual(recordedRow.movement);
  });

  it('when pods claim a gap, then one holds it at a time, its progress is kept, a lapsed claim is taken over, and only its holder ends it', async () => {
    const gaps = new RetentionGaps(client, inventoryTable);
    const found = { shard_id: 'shard-1', checkpoint: '000000000000000000042', from: 'f', through: 't', storm_from: 's', found_at: 'now' };
    await gaps.record(found);
    const [gap] = await gaps.open();
    if (!gap) throw new Error('the gap was not recorded');
    expect(gap.done_through).toBe('');
    expect(await gaps.claim(gap, 'pod-a', Date.now() + 60_000)).toBe(true);
    expect(await gaps.claim(gap, 'pod-b', Date.now() + 60_000)).toBe(false);
    expect(await gaps.claim(gap, 'pod-a', Date.now() + 60_000, 'store-31')).toBe(true);
    // Found again (a pod killed before its next checkpoint): the progress stays.
    await gaps.record(found);
    expect((await gaps.open()).map((one) => one.done_through)).toEqual(['store-31']);
    expect(await gaps.finish(gap, 'pod-b')).toBe(false);
    // pod-a's claim lapses: pod-b takes it, and pod-a can no longer renew or end it.
    expect(await gaps.claim(gap, 'pod-a', Date.now() - 1)).toBe(true);
    expect((await gaps.open()).map((one) => one.done_through)).toEqual(['store-31']);
    expect(await gaps.claim(gap, 'pod-b', Date.now() + 60_000)).toBe(true);
    expect(await gaps.claim(gap, 'pod-a', Date.now() + 60_000, 'store-63')).toBe(false);
    expect(await gaps.finish(gap, 'pod-a')).toBe(false);
    expect(await gaps.finish(gap, 'pod-b')).toBe(true);
    expect(await gaps.open()).toEqual([]);
    // A gap gone cannot be claimed back into being.
    expect(await gaps.claim(gap, 'pod-a', Date.now() + 60_000)).toBe(false);
  });
});
