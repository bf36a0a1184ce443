import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type LocalDynamoDb, startLocalDynamoDb } from '@inventory/shared/local-services';
import { createLogger } from '@inventory/shared/observability';
import { ensureLeaseTable, leaseTableName } from '@inventory/stock/inventory-table';
import { type ListedShard, ShardLeaseCoordinator } from './shard-lease.coordinator';
import { SHARD_END, ShardLeaseTable } from './shard-lease.table';

const FAILOVER_MS = 1_000;

/**
 * Shard leases over a real lease table (DynamoDB Local). The shards are a list given to the
 * workers (what DescribeStream would answer for a stream of eight), so the balance and takeover are
 * shown on more shards than DynamoDB Local's stream has; the clock is each worker's own, moved by the test.
 */
describe('shard leases: eight shards shared by workers, taken over from a dead one', () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  const table = `leases-${randomUUID().slice(0, 8)}`;
  const shards: ListedShard[] = [
    { shardId: 'shard-parent' },
    ...Array.from({ length: 7 }, (_, i) => ({ shardId: `shard-${i}` })),
    { shardId: 'shard-child', parentShardId: 'shard-parent' },
  ];
  let clock = Date.now();
  const worker = (workerId: string) =>
    new ShardLeaseCoordinator({
      table: new ShardLeaseTable(client, table),
      shards: async () => shards,
      failoverMs: FAILOVER_MS,
      logger: createLogger({ app: 'leases-test', level: 'silent' }),
      workerId,
      now: () => clock,
    });
  /** One failover period of every live worker: renew, then take its share. */
  const pass = async (workers: ShardLeaseCoordinator[]) => {
    clock += FAILOVER_MS;
    for (const one of workers) await one.renewAll();
    for (const one of workers) await one.takeShare();
  };
  const owners = async () => {
    const leases = await new ShardLeaseTable(client, table).list();
    return new Map(leases.map((lease) => [lease.leaseKey, lease.leaseOwner]));
  };
  const counts = (workers: ShardLeaseCoordinator[]) => workers.map((one) => one.heldShards().length).sort();

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb(0, '127.0.0.1');
    client = new DynamoDBClient({ endpoint: dynamo.url, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureLeaseTable(client, table);
  });

  afterAll(async () => {
    await client?.send(new DeleteTableCommand({ TableName: leaseTableName(table) }));
    client?.destroy();
    await dynamo?.stop();
  });

  it("when three workers start, then the open shards are spread 3/3/3, each owned once; a dead worker's shards go to the others within two failover periods; a newcomer steals back to balance; the dead one's checkpoint is refused", async () => {
    const [a, b, c] = ['a', 'b', 'c'].map(worker) as [ShardLeaseCoordinator, ShardLeaseCoordinator, ShardLeaseCoordinator];
    for (let round = 0; round < 4; round++) await pass([a, b, c]);
    expect(counts([a, b, c])).toEqual([3, 3, 3]);
    const held = [...a.heldShards(), ...b.heldShards(), ...c.heldShards()];
    expect(new Set(held).size).toBe(shards.length);
    expect(await owners()).toEqual(new Map(shards.map(({ shardId }) => [shardId, [a, b, c].find((one) => one.holds(shardId))?.workerId])));

    // c dies: it renews no more. Its counters stand still for a failover period as a and b see them, then they take its shards.
    const ofC = c.heldShards();
    await pass([a, b]);
    await pass([a, b]);
    expect(counts([a, b])).toEqual([4, 5]);
    const after = await owners();
    for (const shardId of ofC) expect(['a', 'b']).toContain(after.get(shardId));
    // c wakes up and writes a checkpoint: refused, the shard is not its own any more.
    expect(await c.checkpoint(ofC[0] as string, '000100', clock)).toBe(false);
    expect(c.holds(ofC[0] as string)).toBe(false);

    // d joins: nothing is free, so it steals one a pass from the busiest until none holds more than its share (3).
    const d = worker('d');
    for (let round = 0; round < 4; round++) await pass([a, b, d]);
    expect(counts([a, b, d])).toEqual([3, 3, 3]);

    // The parent ends: its lease is let go and leaves the share; the child is read next (the reader waits for the parent's end).
    const parentOwner = [a, b, d].find((one) => one.holds('shard-parent')) as ShardLeaseCoordinator;
    expect(await parentOwner.checkpoint('shard-parent', SHARD_END, null)).toBe(true);
    expect(parentOwner.holds('shard-parent')).toBe(false);
    for (let round = 0; round < 3; round++) await pass([a, b, d]);
    expect(counts([a, b, d]).reduce((sum, n) => sum + n, 0)).toBe(shards.length - 1);
    expect(Math.max(...counts([a, b, d]))).toBe(3);

    // A worker stopping gives its leases up: the others take them on their next pass, without waiting out the failover.
    const ofA = a.heldShards();
    await a.stop();
    clock += 1;
    for (const one of [b, d]) await one.takeShare();
    const final = await owners();
    for (const shardId of ofA) expect(['b', 'd']).toContain(final.get(shardId));
  }, 60_000);
});
