import { Cluster } from 'ioredis';
import type { RedisConnection } from './redis-connection';

/**
 * Every key matching `pattern`, on every master in cluster mode, in SCAN batches so Redis never
 * blocks. A key may be yielded twice (SCAN's guarantee), never skipped if it existed throughout.
 */
export async function* scanKeys(connection: RedisConnection, pattern: string): AsyncGenerator<string[]> {
  const nodes = connection instanceof Cluster ? connection.nodes('master') : [connection];
  for (const node of nodes) {
    for await (const keys of node.scanStream({ match: pattern, count: 500 })) yield keys as string[];
  }
}

/**
 * Deletes every key under `prefix:`. For operators clearing an environment and for tests cleaning
 * up after themselves.
 */
export async function deleteKeysWithPrefix(connection: RedisConnection, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const keys of scanKeys(connection, `${prefix}:*`)) {
    // One DEL per key: in a cluster, keys of one SCAN batch span slots.
    for (const key of keys) deleted += await connection.del(key);
  }
  return deleted;
}
