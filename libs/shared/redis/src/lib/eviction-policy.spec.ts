import { Cluster, Redis } from 'ioredis';
import { startLocalRedis, startLocalRedisCluster } from '@inventory/shared/local-services';
import { assertNoEviction, evictionPolicies } from './eviction-policy';
import { waitUntilReady } from './redis-connection';

describe('assertNoEviction', () => {
  it('when the server keeps every key (noeviction), then it passes; when it evicts, then it fails naming the policy and where to read why', async () => {
    const keeps = await startLocalRedis();
    const evicts = await startLocalRedis(undefined, ['--maxmemory-policy', 'allkeys-lru']);
    const [good, bad] = [new Redis(keeps.url), new Redis(evicts.url)];
    try {
      await expect(assertNoEviction(good)).resolves.toBeUndefined();
      await expect(assertNoEviction(bad)).rejects.toThrow(
        'Redis evicts keys (maxmemory-policy allkeys-lru); the platform needs noeviction: see k8s/README.md#memorydb',
      );
    } finally {
      good.disconnect();
      bad.disconnect();
      await keeps.stop();
      await evicts.stop();
    }
  });

  it('when one primary of a cluster evicts, then the cluster fails the check', async () => {
    const local = await startLocalRedisCluster();
    const cluster = new Cluster(local.nodes);
    try {
      await waitUntilReady(cluster);
      expect(await evictionPolicies(cluster)).toEqual(['noeviction', 'noeviction', 'noeviction']);
      await assertNoEviction(cluster);
      await cluster.nodes('master')[1]?.config('SET', 'maxmemory-policy', 'volatile-lru');
      await expect(assertNoEviction(cluster)).rejects.toThrow(/maxmemory-policy volatile-lru\)/);
    } finally {
      cluster.disconnect();
      await local.stop();
    }
  });
});
