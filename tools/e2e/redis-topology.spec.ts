/**
 * Which Redis this run's suites ran on: a plain server (platform-e2e), or a 3-master Redis Cluster
 * as MemoryDB runs (platform-e2e-cluster, whose global setup sets MEMORYDB_MODE=cluster): shown by
 * where the apps' keys land, so a cluster run that quietly fell back to one server fails here.
 */
import { type AppEnvironment, type RunningApps, spawnBuiltApps, startAppEnvironment, stopApps } from '@inventory/service/built-apps';
import { createInventoryClient } from '@inventory/client';

const STORES = 8;

describe("the run's Redis", () => {
  let env: AppEnvironment;
  let apps: RunningApps;

  beforeAll(async () => {
    env = await startAppEnvironment({ stores: STORES, skusPerStore: 2 });
    apps = await spawnBuiltApps(env, ['write-api', 'query-api']);
  }, 120_000);

  afterAll(async () => {
    if (apps) await stopApps(apps);
    await env?.stop();
  });

  it(`when the apps write and read ${STORES} stores, then their keys sit where the run's mode says: one server, or spread over the cluster's three masters`, async () => {
    const headers = { authorization: env.authorization };
    const writer = createInventoryClient({ baseUrl: apps['write-api']?.url ?? '', headers });
    const reader = createInventoryClient({ baseUrl: apps['query-api']?.url ?? '', headers });
    for (let store = 1; store <= STORES; store += 1) {
      const written = await writer.POST('/inventory/update', { body: { store_id: `store-${store}`, sku: 'SKU-1001', quantity: store } });
      expect(written.response.status).toBe(200);
      const read = await reader.GET('/inventory/store/{storeId}', { params: { path: { storeId: `store-${store}` } } });
      expect(read.data?.find((item) => item.sku === 'SKU-1001')?.quantity).toBe(store);
    }

    const { redis } = env.backends;
    const nodes = 'nodes' in redis ? redis.nodes('master') : [redis];
    const keysPerNode = await Promise.all(nodes.map(async (node) => (await node.keys(`${env.config.REDIS_KEY_PREFIX}:*`)).length));
    if (process.env['MEMORYDB_MODE'] === 'cluster') {
      expect(keysPerNode).toHaveLength(3);
      expect(keysPerNode.filter((count) => count > 0).length).toBeGreaterThan(1);
    } else {
      expect(keysPerNode).toHaveLength(1);
      expect(keysPerNode[0]).toBeGreaterThan(0);
    }
  });
});
