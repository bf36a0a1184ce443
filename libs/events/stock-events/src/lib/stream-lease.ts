import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '@inventory/shared/redis';

// Renews the lease only while this holder still has it.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Which consumer pod reads the stream: the holder of a Redis lease, renewed well within its term.
 * A standby takes over once a holder stops renewing (killed, partitioned). Two holders at once (a
 * paused holder waking after its term) is harmless, only wasteful: every effect of a record is
 * idempotent, and checkpoints only move forward through sequence numbers either would write.
 */
export class StreamLease {
  private readonly holder = randomUUID();

  constructor(
    private readonly redis: RedisConnection,
    private readonly key: string,
    readonly termMs: number,
  ) {}

  /** Takes the lease if free, or keeps it if held; answers whether this process holds it now. */
  async hold(): Promise<boolean> {
    const renewed = Number(await this.redis.eval(RENEW, 1, this.key, this.holder, this.termMs));
    if (renewed === 1) return true;
    return (await this.redis.set(this.key, this.holder, 'PX', this.termMs, 'NX')) === 'OK';
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.holder);
  }
}
