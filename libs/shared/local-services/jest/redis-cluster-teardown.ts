/** Stops the run's Redis Cluster and shared DynamoDB Local (see redis-cluster-setup.ts). */
import type { LocalRedisCluster } from '../src/lib/local-redis-cluster';
import teardownDynamoDb from './dynamodb-teardown';

export default async function teardown(): Promise<void> {
  await (globalThis as { sharedRedisCluster?: LocalRedisCluster }).sharedRedisCluster?.stop();
  await teardownDynamoDb();
}
