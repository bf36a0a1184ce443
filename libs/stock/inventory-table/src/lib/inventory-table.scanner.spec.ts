import { listStoreIds } from './inventory-table.scanner';
import { type LocalTable, startLocalTable } from './local-table.testing';
import { StoreInventoryRepository } from './store-inventory.repository';

describe('listStoreIds', () => {
  let local: LocalTable;

  beforeAll(async () => {
    local = await startLocalTable();
  });

  afterAll(() => local.stop());

  it('when the table is empty, then there are no stores', async () => {
    expect(await listStoreIds(local.client, local.tableName)).toEqual(new Set());
  });

  it('when stores span many Scan pages and segments, then each store is listed once', async () => {
    const stores = Array.from({ length: 12 }, (_, i) => `store-${i}`);
    const repository = new StoreInventoryRepository(local.client, local.tableName);
    await repository.putItems(
      stores.flatMap((storeId) =>
        Array.from({ length: 30 }, (_, n) => ({
          store_id: storeId,
          sku: `SKU-${n}`,
          quantity: n,
          updated_at: '2024-01-01T12:00:00Z',
          version: 1,
        })),
      ),
    );
    expect(await listStoreIds(local.client, local.tableName, { segments: 3, pageSize: 7 })).toEqual(new Set(stores));
  });
});
