import type { RedisConnection } from './redis-connection';

/**
 * The `maxmemory-policy` the platform needs (k8s/README.md#memorydb): an evicted key would be a
 * lost queued job, a store's counters gone or a totals marker forgotten (a change counted twice),
 * each silent; at its memory limit a `noeviction` server refuses writes instead, which the apps
 * answer as a Redis outage (reads and writes go to DynamoDB).
 */
export const REQUIRED_EVICTION_POLICY = 'noeviction';

/**
 * Each primary's `maxmemory_policy`, read from `INFO memory` (MemoryDB refuses `CONFIG`, not
 * `INFO`); a node that does not say is left out.
 */
export async function evictionPolicies(connection: RedisConnection): Promise<string[]> {
  const nodes = 'nodes' in connection ? connection.nodes('master') : [connection];
  const policies: string[] = [];
  for (const node of nodes) {
    const policy = /^maxmemory_policy:(\S+)/m.exec(await node.info('memory'))?.[1];
    if (policy) policies.push(policy);
  }
  return policies;
}

/** A server that answered with a policy that evicts. */
export class EvictionPolicyError extends Error {}

/** Rejects with EvictionPolicyError, naming the policy found, when a primary would evict keys. */
export async function assertNoEviction(connection: RedisConnection): Promise<void> {
  const wrong = (await evictionPolicies(connection)).filter((policy) => policy !== REQUIRED_EVICTION_POLICY);
  if (wrong.length > 0) {
    throw new EvictionPolicyError(
      `Redis evicts keys (maxmemory-policy ${[...new Set(wrong)].join(', ')}); the platform needs ${REQUIRED_EVICTION_POLICY}: see k8s/README.md#memorydb`,
    );
  }
}
