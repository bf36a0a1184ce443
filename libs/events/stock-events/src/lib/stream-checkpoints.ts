import type { RedisConnection } from '@inventory/shared/redis';

/** A shard read to its end (closed by DynamoDB and every record taken). */
export const SHARD_DONE = 'done';

/**
 * Where the events consumer got to in each shard of a table's stream: the sequence number of the
 * last record whose effects all landed, or `done`. One Redis hash per stream, hash-tagged so it
 * sits in one slot. A checkpoint is saved only after its records' effects, so a consumer killed in
 * between reads those records again: every effect is idempotent, and none is lost.
 */
export class StreamCheckpoints {
  constructor(
    private readonly redis: RedisConnection,
    private readonly key: string,
  ) {}

  static forStream(redis: RedisConnection, keyPrefix: string, streamLabel: string): StreamCheckpoints {
    return new StreamCheckpoints(redis, `${keyPrefix}:{events}:checkpoints:${streamLabel}`);
  }

  async all(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.key)));
  }

  async save(shardId: string, sequenceNumber: string): Promise<void> {
    await this.redis.hset(this.key, shardId, sequenceNumber);
  }

  async finish(shardId: string): Promise<void> {
    await this.redis.hset(this.key, shardId, SHARD_DONE);
  }

  /** Forgets shards the stream no longer lists (trimmed after 24 h), so the hash stays small. */
  async forgetAllBut(shardIds: Set<string>): Promise<void> {
    const gone = [...(await this.all()).keys()].filter((shardId) => !shardIds.has(shardId));
    if (gone.length > 0) await this.redis.hdel(this.key, ...gone);
  }
}
