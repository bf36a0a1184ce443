import { Cluster } from 'ioredis';
import type { RedisConnection } from './redis-connection';

/**
 * Deletes every key under `prefix:` (on every master in cluster mode), in SCAN batches so Redis
 * never blocks. For operators clearing an environment and for tests cleaning up after themselves.
 */
export async function deleteKeysWithPrefix(connection: RedisConnection, prefix: string): Promise<number> {
  const nodes = connection instanceof Cluster ? connection.nodes('master') : [connection];
  let deleted = 0;
  for (const node of nodes) {
    for await (const keys of node.scanStream({ match: `${prefix}:*`, count: 500 })) {
      // One DEL per key: in a cluster, keys of one SCAN batch span slots.
      for (const key of keys as string[]) deleted += await node.del(key);
    }
  }
  return deleted;
}
