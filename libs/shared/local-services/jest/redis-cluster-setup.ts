/**
 * Jest global setup for a run against a Redis Cluster, as MemoryDB runs in cluster mode: the run's
 * shared DynamoDB Local (dynamodb-setup.ts) and a throw-away 3-master cluster, handed to the test
 * workers and the apps they start by environment (`REDIS_URL` a seed node, `MEMORYDB_MODE=cluster`).
 */
import { startLocalRedisCluster } from '../src/lib/local-redis-cluster';
import setupDynamoDb from './dynamodb-setup';

export default async function setup(): Promise<void> {
  await setupDynamoDb();
  const cluster = await startLocalRedisCluster();
  const [seed] = cluster.nodes;
  process.env['REDIS_URL'] = `redis://${seed?.host}:${seed?.port}`;
  process.env['MEMORYDB_MODE'] = 'cluster';
  (globalThis as { sharedRedisCluster?: typeof cluster }).sharedRedisCluster = cluster;
}
