import { randomUUID } from 'node:crypto';
import type { Logger } from '@inventory/shared/observability';
import { leasesToTake } from './lease-balance';
import { SHARD_END, type ShardLease, type ShardLeaseTable } from './shard-lease.table';

/** A shard as the stream lists it. */
export interface ListedShard {
  shardId: string;
  parentShardId?: string;
}

export interface ShardLeaseCoordinatorOptions {
  table: ShardLeaseTable;
  /** The shards the stream lists now (DescribeStream): each gets a lease the first time it is seen. */
  shards: () => Promise<ListedShard[]>;
  /** A lease whose counter stands still this long is expired: its owner is taken for dead (apps/README.md#events-and-webhooks). */
  failoverMs: number;
  logger: Logger;
  workerId?: string;
  now?: () => number;
}

/** What a worker last saw of a lease: its counter, and when that counter last moved. */
interface Seen {
  counter: number;
  since: number;
}

/**
 * One worker's side of the shard leases (libs/events/README.md#shard-leases): every third of the
 * failover time it renews what it holds; every half failover time it lists the leases, creates those
 * of new shards, marks as expired those whose counter stood still for the failover time, and takes
 * its share (`leasesToTake`). A lease it fails to renew or checkpoint was taken by another worker:
 * it is dropped at once, and its reader stops after the page in hand.
 */
export class ShardLeaseCoordinator {
  readonly workerId: string;
  private readonly now: () => number;
  private readonly seen = new Map<string, Seen>();
  private readonly held = new Map<string, ShardLease>();
  private leases: ShardLease[] = [];
  private timers: NodeJS.Timeout[] = [];
  private running = Promise.resolve();

  constructor(private readonly options: ShardLeaseCoordinatorOptions) {
    this.workerId = options.workerId ?? randomUUID();
    this.now = options.now ?? Date.now;
  }

  start(): void {
    const every = (ms: number, run: () => Promise<void>) => {
      const tick = () => {
        this.running = this.running
          .then(run)
          .catch((error: unknown) => this.options.logger.warn({ err: error }, 'shard leases: pass failed'));
      };
      tick();
      this.timers.push(setInterval(tick, ms));
    };
    every(Math.floor(this.options.failoverMs / 3), () => this.renewAll());
    every(Math.floor(this.options.failoverMs / 2), () => this.takeShare());
  }

  /** Stops renewing and gives every lease up, so other workers take them at once. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.running;
    for (const shardId of [...this.held.keys()]) await this.options.table.evict(shardId, this.workerId).catch(() => undefined);
    this.held.clear();
  }

  /** The shards this worker reads now. */
  holds(shardId: string): boolean {
    return this.held.has(shardId);
  }

  heldShards(): string[] {
    return [...this.held.keys()];
  }

  /** Where each shard got to, as last listed (this worker's own leases as it last wrote them). */
  checkpoints(): Map<string, ShardLease> {
    const all = new Map(this.leases.map((lease) => [lease.leaseKey, lease]));
    for (const [shardId, lease] of this.held) all.set(shardId, lease);
    return all;
  }

  /**
   * Records how far this worker got in a shard it holds; false if the lease was taken meanwhile
   * (stop reading it). A shard read to its end is let go: nobody takes a lease at `SHARD_END`.
   */
  async checkpoint(shardId: string, checkpoint: string, writtenAt: number | null): Promise<boolean> {
    const lease = await this.options.table.checkpoint(shardId, this.workerId, checkpoint, writtenAt);
    const kept = this.keep(shardId, lease);
    if (kept && checkpoint === SHARD_END) {
      this.held.delete(shardId);
      this.leases = [...this.leases.filter((other) => other.leaseKey !== shardId), lease as ShardLease];
    }
    return kept;
  }

  /** Renews every lease held; one whose renewal fails is another worker's now. */
  async renewAll(): Promise<void> {
    for (const shardId of [...this.held.keys()]) this.keep(shardId, await this.options.table.renew(shardId, this.workerId));
  }

  /** Lists the leases (creating new shards'), marks the expired, and takes this worker's share. */
  async takeShare(): Promise<void> {
    const listed = await this.options.shards();
    let leases = await this.options.table.list();
    const known = new Set(leases.map((lease) => lease.leaseKey));
    const fresh = listed.filter((shard) => !known.has(shard.shardId));
    for (const shard of fresh) await this.options.table.create(shard.shardId, shard.parentShardId ? [shard.parentShardId] : []);
    if (fresh.length > 0) leases = await this.options.table.list();
    const now = this.now();
    const expired = new Set<string>();
    for (const lease of leases) {
      const before = this.seen.get(lease.leaseKey);
      if (!before || before.counter !== lease.leaseCounter) this.seen.set(lease.leaseKey, { counter: lease.leaseCounter, since: now });
      // Unowned, or its counter stood still for the failover time (a worker that has not seen it move yet waits that long).
      const still = this.seen.get(lease.leaseKey) as Seen;
      if (lease.leaseOwner === null || (lease.leaseOwner !== this.workerId && now - still.since >= this.options.failoverMs))
        expired.add(lease.leaseKey);
    }
    const current = new Set(leases.map((lease) => lease.leaseKey));
    for (const key of [...this.seen.keys()]) if (!current.has(key)) this.seen.delete(key);
    this.leases = leases;
    for (const lease of leasesToTake(leases, expired, this.workerId)) {
      const taken = await this.options.table.take(lease, this.workerId);
      if (!taken) continue;
      this.options.logger.info(
        { shard_id: lease.leaseKey, from: lease.leaseOwner, expired: expired.has(lease.leaseKey) },
        'shard leases: took a shard',
      );
      this.held.set(lease.leaseKey, taken);
    }
  }

  private keep(shardId: string, lease: ShardLease | undefined): boolean {
    if (lease) {
      this.held.set(shardId, lease);
      return true;
    }
    if (this.held.delete(shardId)) this.options.logger.warn({ shard_id: shardId }, 'shard leases: lost a shard to another worker');
    return false;
  }
}
