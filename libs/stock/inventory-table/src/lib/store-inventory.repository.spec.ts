import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDbFaultProxy, startDynamoDbFaultProxy } from '@inventory/shared/local-services';
import type { StoredInventoryItem } from '@inventory/domain/model';
import { createDynamoDbClient } from '@inventory/shared/dynamodb';
import { ensureInventoryTable } from './inventory-table';
import { type LocalTable, startLocalTable } from './local-table.testing';
import { StoreInventoryRepository, UnprocessedItemsError } from './store-inventory.repository';

function item(storeId: string, n: number, quantity = n): StoredInventoryItem {
  return { store_id: storeId, sku: `SKU-${String(n).padStart(5, '0')}`, quantity, updated_at: '2024-01-01T12:00:00Z', version: 1 };
}

/** Every other request of a batch (odd positions), as a throttled table hands back. */
const everyOther = (index: number) => index % 2 === 1;

/** The item keys DynamoDB received from the proxy, once per write it applied. */
function appliedKeys(proxy: DynamoDbFaultProxy): string[] {
  return proxy.appliedWrites.map((request) => {
    const written = request.PutRequest?.Item as Record<string, { S: string }>;
    return `${written['store_id'].S}/${written['sku'].S}`;
  });
}

describe('StoreInventoryRepository', () => {
  let local: LocalTable;
  let client: DynamoDBClient;
  let tableName: string;

  beforeAll(async () => {
    local = await startLocalTable();
    ({ client, tableName } = local);
  });

  afterAll(() => local.stop());

  it('when the table already exists, then ensuring it again is harmless', async () => {
    await expect(ensureInventoryTable(client, tableName)).resolves.toBeUndefined();
  });

  it('when a store has no items, then its list is empty', async () => {
    const repository = new StoreInventoryRepository(client, tableName);
    await expect(repository.listStoreItems('store-none')).resolves.toEqual([]);
  });

  it('when a store spans several Query pages, then every item comes back in SKU order', async () => {
    const writer = new StoreInventoryRepository(client, tableName);
    const items = Array.from({ length: 120 }, (_, i) => item('store-pages', 120 - i));
    await writer.putItems(items);

    const paged = new StoreInventoryRepository(client, tableName, { pageSize: 50 });
    const listed = await paged.listStoreItems('store-pages');
    expect(listed).toHaveLength(120);
    expect(listed[0]).toEqual({ store_id: 'store-pages', sku: 'SKU-00001', quantity: 1, updated_at: '2024-01-01T12:00:00Z' });
    expect(listed.map((i) => i.sku)).toEqual([...listed.map((i) => i.sku)].sort());
  });

  it('when restock state is read page by page, then each page holds pageSize SKUs in key order and is queried only when asked', async () => {
    const writer = new StoreInventoryRepository(client, tableName);
    await writer.putItems(Array.from({ length: 7 }, (_, i) => ({ ...item('store-restock-pages', 7 - i), content_hash: `hash-${7 - i}` })));
    let queries = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'QueryCommand') queries += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countQueries' },
    );
    try {
      const pages = writer.restockStatePages('store-restock-pages', 3);
      const first = await pages.next();
      expect(queries).toBe(1);
      expect(first.value).toEqual([
        ['SKU-00001', { version: 1, quantity: 1, content_hash: 'hash-1', restock_storm: undefined }],
        ['SKU-00002', { version: 1, quantity: 2, content_hash: 'hash-2', restock_storm: undefined }],
        ['SKU-00003', { version: 1, quantity: 3, content_hash: 'hash-3', restock_storm: undefined }],
      ]);
      const rest: string[] = [];
      for await (const page of pages) rest.push(...page.map(([sku]) => sku));
      expect(rest).toEqual(['SKU-00004', 'SKU-00005', 'SKU-00006', 'SKU-00007']);
    } finally {
      client.middlewareStack.remove('countQueries');
    }
  });

  describe('through a proxy injecting what a busy table answers', () => {
    let proxy: DynamoDbFaultProxy;
    let throttled: DynamoDBClient;
    let repository: StoreInventoryRepository;

    beforeEach(async () => {
      proxy = await startDynamoDbFaultProxy(local.url);
      throttled = createDynamoDbClient({ region: 'us-east-1', endpoint: proxy.url });
      repository = new StoreInventoryRepository(throttled, tableName);
    });

    afterEach(async () => {
      throttled.destroy();
      await proxy.stop();
    });

    it('when DynamoDB hands items back unprocessed, then they are retried until all are written', async () => {
      proxy.inject('BatchWriteItem', (call) => (call <= 3 ? { holdBack: everyOther } : undefined));

      await repository.putItems(
        Array.from({ length: 25 }, (_, i) => item('store-throttled', i)),
        { startingDelayMs: 1 },
      );

      expect(proxy.calls('BatchWriteItem')).toBeGreaterThan(3);
      expect(await repository.listStoreItems('store-throttled')).toHaveLength(25);
    });

    it('when items stay unprocessed past the attempts, then the write fails after exactly that many, saying how many are left', async () => {
      proxy.inject('BatchWriteItem', () => ({ holdBack: everyOther }));

      const write = repository.putItems(
        Array.from({ length: 8 }, (_, i) => item('store-stuck', i)),
        {
          maxAttempts: 2,
          startingDelayMs: 1,
        },
      );

      await expect(write).rejects.toThrow(UnprocessedItemsError);
      await expect(write).rejects.toThrow('2 items still unprocessed');
      expect(proxy.calls('BatchWriteItem')).toBe(2);
    });

    it('when DynamoDB answers throttling errors, then the batch is sent again after a backoff and written once', async () => {
      proxy.inject('BatchWriteItem', (call) => (call <= 2 ? { throttle: true } : undefined));

      await repository.putItems(Array.from({ length: 10 }, (_, i) => item('store-throttling', i)));

      // Two refusals, then the SDK's own retry (with its backoff) gets through.
      expect(proxy.calls('BatchWriteItem')).toBe(3);
      expect(appliedKeys(proxy).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => `store-throttling/${item('store-throttling', i).sku}`).sort(),
      );
    });

    it('when throttling errors and unprocessed items mix over several batches, then every item is written exactly once', async () => {
      proxy.inject('BatchWriteItem', (call) =>
        call % 3 === 1 ? { throttle: true } : call % 3 === 2 ? { holdBack: everyOther } : undefined,
      );
      const items = Array.from({ length: 60 }, (_, i) => item('store-busy', i, 1_000 + i));

      await repository.putItems(items, { startingDelayMs: 1 });

      const applied = appliedKeys(proxy);
      expect(applied).toHaveLength(60);
      expect(new Set(applied).size).toBe(60);
      const stored = await repository.listStoreItems('store-busy');
      expect(stored.map((row) => [row.sku, row.quantity])).toEqual(items.map((row) => [row.sku, row.quantity]));
      expect(proxy.calls('BatchWriteItem')).toBeGreaterThan(3);
    });
  });
});
