import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SkuState, StockMovement } from '@inventory/domain/model';
import { type LocalTable, startLocalTable } from './local-table.testing';
import { MovementHistoryRepository } from '@inventory/stock/movements';
import { IdempotencyKeyTakenError, IdempotencyRecords } from '@inventory/stock/idempotency';
import { StaleStateError, StockWriteRepository } from './stock-write.repository';

describe('StockWriteRepository', () => {
  let local: LocalTable;
  let client: DynamoDBClient;
  let writes: StockWriteRepository;
  let history: MovementHistoryRepository;
  let records: IdempotencyRecords;

  beforeAll(async () => {
    local = await startLocalTable();
    client = local.client;
    writes = new StockWriteRepository(client, local.tableName);
    records = new IdempotencyRecords(client, local.tableName);
    history = new MovementHistoryRepository(client, local.tableName);
  });

  afterAll(() => local.stop());

  function movementFrom(expected: SkuState, quantity: number, idempotencyKey: string | null = null): StockMovement {
    return {
      movement_id: randomUUID(),
      store_id: expected.store_id,
      sku: expected.sku,
      delta: quantity - expected.quantity,
      quantity_before: expected.quantity,
      quantity_after: quantity,
      version: expected.version + 1,
      reason: 'correction',
      source: 'api',
      reference: null,
      actor: 'spec',
      on_behalf_of: null,
      idempotency_key: idempotencyKey,
      request_id: null,
      at: new Date().toISOString(),
    };
  }
  const commit = (expected: SkuState, quantity: number, key?: string) =>
    writes.commit({
      expected,
      kind: 'set',
      movement: movementFrom(expected, quantity, key ?? null),
      updatedAt: '2026-12-03T00:00:00Z',
      idempotency: key ? { key, requestHash: 'h', answer: `{"quantity":${quantity}}` } : undefined,
    });
  const allMovements = async (storeId: string) => (await history.storeMovements(storeId, new Date(0).toISOString(), 500)).movements;

  it('when a write expects the version the item holds, then the item and its movement land together', async () => {
    const unknown = await writes.readState('w1', 'A');
    await commit(unknown, 4);
    const stored = await writes.readState('w1', 'A');
    await commit(stored, 9);

    expect(unknown).toEqual({ store_id: 'w1', sku: 'A', quantity: 0, version: 0 });
    expect(await writes.readState('w1', 'A')).toEqual({
      store_id: 'w1',
      sku: 'A',
      quantity: 9,
      version: 2,
      updated_at: '2026-12-03T00:00:00Z',
    });
    expect((await allMovements('w1')).map((movement) => [movement.quantity_before, movement.quantity_after, movement.version])).toEqual([
      [0, 4, 1],
      [4, 9, 2],
    ]);
  });

  it('when the item moved on since it was read, then the write is refused with the current state and writes nothing', async () => {
    const read = await writes.readState('w2', 'A');
    await commit(read, 1);

    const stale = commit(read, 2, 'stale-key');

    await expect(stale).rejects.toBeInstanceOf(StaleStateError);
    await expect(stale).rejects.toMatchObject({ current: { quantity: 1, version: 1 } });
    expect(await allMovements('w2')).toHaveLength(1);
    expect(await records.read('stale-key')).toBeUndefined();
  });

  it('when a key is already recorded, then a second write with it changes nothing and the first record stays', async () => {
    await commit(await writes.readState('w3', 'A'), 5, 'key-once');

    const again = commit(await writes.readState('w3', 'A'), 6, 'key-once');

    await expect(again).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    expect((await writes.readState('w3', 'A')).quantity).toBe(5);
    expect(await allMovements('w3')).toHaveLength(1);
    expect(await records.read('key-once')).toEqual({ key: 'key-once', requestHash: 'h', answer: '{"quantity":5}' });
  });
});
