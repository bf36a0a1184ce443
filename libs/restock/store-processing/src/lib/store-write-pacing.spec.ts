import { randomUUID } from 'node:crypto';
import { storeIdOf } from '@inventory/domain/model';
import { createDynamoDbClient } from '@inventory/shared/dynamodb';
import { StoreInventoryRepository } from '@inventory/stock/inventory-table';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { type DynamoDbFaultProxy, startDynamoDbFaultProxy } from '@inventory/shared/local-services';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { StormRecords } from '@inventory/restock/storm';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { manifestRecord } from './manifest';
import { runOneStoreStorm } from './one-store-storm.testing';

const SKUS = 1_000;
// Well under what this box writes unpaced even when busy (tools/benchmarks/README.md), so the pace is what binds.
const WCU_PER_SECOND = 100;

describe('a storm job paced per store (measured at a proxy in front of DynamoDB)', () => {
  const run = randomUUID().slice(0, 8);
  /** A storm's records of its own per store (one storm runs at a time under one prefix). */
  const prefixOf = (storeIndex: number) => `{pacing-${run}-${storeIndex}}`;
  let env: InventoryTestEnvironment;
  let proxy: DynamoDbFaultProxy;

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    proxy = await startDynamoDbFaultProxy(env.config.DYNAMODB_ENDPOINT ?? '');
  });

  afterAll(async () => {
    await proxy?.stop();
    for (const storeIndex of [1, 2]) await deleteKeysWithPrefix(env.backends.redis, prefixOf(storeIndex));
    await env?.stop();
  });

  /** Runs one storm job over a fresh store through the proxy; answers the store's write times as DynamoDB took them. */
  async function stormThroughProxy(storeIndex: number, storeWcuPerSecond: number | undefined): Promise<number[]> {
    const client = createDynamoDbClient({ region: 'us-east-1', endpoint: proxy.url, timeoutMs: 15_000 });
    const storeId = storeIdOf(storeIndex);
    const from = proxy.appliedWrites.length;
    await runOneStoreStorm(env, new StormRecords(env.backends.redis, prefixOf(storeIndex)), {
      storeIndex,
      skus: SKUS,
      manifestSeed: 9,
      repository: new StoreInventoryRepository(client, env.config.DYNAMODB_TABLE),
      storeWcuPerSecond,
    });
    client.destroy();
    return proxy.appliedWrites
      .map((request, i) => ({
        store: request.PutRequest?.Item?.['store_id'] as { S?: string } | undefined,
        at: proxy.appliedWriteTimes[i] ?? 0,
      }))
      .slice(from)
      .filter((write) => write.store?.S === storeId)
      .map((write) => write.at);
  }

  // The last batch's 25 items are answered together: the rate is what came before it, over the span.
  const rateOf = (times: number[]) => ((times.length - 25) / ((times[times.length - 1] ?? 0) - (times[0] ?? 0))) * 1_000;

  // Relative bounds a busy box keeps: a busy box only slows a run, so the paced run can never beat
  // its setting, and the unpaced one beating it shows the pace is what held the paced one back.
  // The pacer's own arithmetic is specified with an injected clock (store-write-pacer.spec.ts).
  it('when a store is written at a setting of 100 WCU/s, then DynamoDB never sees it written faster, though unpaced the same job writes faster', async () => {
    const unpaced = await stormThroughProxy(1, undefined);
    const paced = await stormThroughProxy(2, WCU_PER_SECOND);
    expect(paced).toHaveLength(SKUS);
    expect(rateOf(paced)).toBeLessThan(WCU_PER_SECOND * 1.1);
    expect(rateOf(unpaced)).toBeGreaterThan(WCU_PER_SECOND * 1.1);
    // Both stores were created by their storm from nothing: each SKU one storm movement, chained.
    const created = new Map<string, number>();
    for (const storeIndex of [1, 2])
      for (let sku = 0; sku < SKUS; sku += 1) created.set(`${storeIdOf(storeIndex)}/${manifestRecord(9, storeIndex, sku, 1).sku}`, 0);
    expect(await ledgerProblemsIn(env.backends, created)).toEqual([]);
  }, 90_000);
});
