import { StoreInventoryRepository } from '@inventory/stock/inventory-table';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { testUpdater } from '@inventory/stock/store-update/testing';
import type { InventoryUpdater } from '@inventory/stock/store-update';
import { StoreInventoryReader } from './store-inventory.reader';
import { StoreItems } from './store-items';

/** A real repository whose store reads can be held after DynamoDB answered, to stage races. */
class HeldRepository extends StoreInventoryRepository {
  hold?: Promise<void>;
  reads = 0;
  override async listStoreItems(storeId: string, signal?: AbortSignal) {
    const items = await super.listStoreItems(storeId, signal);
    this.reads += 1;
    await this.hold;
    return items;
  }
}

describe('StoreInventoryReader', () => {
  let env: InventoryTestEnvironment;
  let repository: HeldRepository;
  let updater: InventoryUpdater;
  const reader = (localCacheBytes = 0) =>
    new StoreInventoryReader({
      repository: new StoreItems(repository, env.backends.promiseRecords),
      cache: env.backends.cache,
      logger: env.logger,
      metrics: env.metrics,
      localCacheBytes,
      localCacheTtlMs: 60_000,
    });

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    repository = new HeldRepository(env.backends.dynamodb, env.config.DYNAMODB_TABLE);
    updater = testUpdater(env);
  });

  afterAll(() => env.stop());

  it('when a store is read twice, then the first is a miss and the second a hit that skips DynamoDB', async () => {
    await updater.update({ store_id: 'r1', sku: 'A', quantity: 3 });
    const subject = reader();
    const readsBefore = repository.reads;

    const first = await subject.read('r1');
    const second = await subject.read('r1');

    expect(first.cache).toBe('miss');
    expect(second.cache).toBe('hit');
    expect(repository.reads).toBe(readsBefore + 1);
    expect(second.etag).toBe(first.etag);
    expect(JSON.parse(second.identity.toString())).toEqual([
      {
        store_id: 'r1',
        sku: 'A',
        quantity: 3,
        updated_at: expect.any(String),
        reserved: 0,
        available: 3,
        incoming: 0,
        safety_stock: 0,
        promised_at_risk: 0,
      },
    ]);
  });

  it('when another pod cached the answer, then this one serves it from Redis without DynamoDB', async () => {
    await updater.update({ store_id: 'r2', sku: 'A', quantity: 1 });
    await reader(1024 * 1024).read('r2');
    const readsBefore = repository.reads;

    const fromOtherPod = await reader(1024 * 1024).read('r2');

    expect(fromOtherPod.cache).toBe('hit');
    expect(repository.reads).toBe(readsBefore);
  });

  it('when many reads of one store miss at once, then DynamoDB is queried once', async () => {
    await updater.update({ store_id: 'r3', sku: 'A', quantity: 1 });
    const subject = reader(1024 * 1024);
    const readsBefore = repository.reads;

    const answers = await Promise.all(Array.from({ length: 20 }, () => subject.read('r3')));

    expect(repository.reads).toBe(readsBefore + 1);
    expect(new Set(answers.map((answer) => answer.etag)).size).toBe(1);
  });

  it('when an update lands while a miss is reading the old state, then the old answer is never served after it', async () => {
    await updater.update({ store_id: 'r4', sku: 'A', quantity: 10 });
    const subject = reader(1024 * 1024);
    let release = () => undefined as void;
    repository.hold = new Promise<void>((resolve) => (release = resolve));

    const readsBefore = repository.reads;
    const staleRead = subject.read('r4');
    // Wait until the read has its (old) DynamoDB answer in hand and is held before caching it.
    while (repository.reads === readsBefore) await new Promise((resolve) => setTimeout(resolve, 5));
    await updater.update({ store_id: 'r4', sku: 'A', quantity: 99 });
    release();
    repository.hold = undefined;

    expect(JSON.parse((await staleRead).identity.toString())[0].quantity).toBe(10);
    const after = await subject.read('r4');
    expect(after.cache).toBe('miss');
    expect(JSON.parse(after.identity.toString())[0].quantity).toBe(99);
  });
});
