import type { Server } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { StockEvent } from '@inventory/domain/model';
import { waitUntil } from '@inventory/service/testing';
import { testStockWriters } from '@inventory/stock/store-update/testing';
import { createWebhookQueue, WebhookRepository, webhookSecretBox } from '@inventory/events/webhooks';
import { ATTR, leaseTableName } from '@inventory/stock/inventory-table';
import { type DynamoDbFaultProxy, startDynamoDbFaultProxy, streamEnds } from '@inventory/shared/local-services';
import { startEventReceiver, startStormTestBed, type StormTestBed } from './storm-test-bed';

const LEASE_MS = 3_000;
const STORES = 8;
const SKUS = 3;
const CHANGES = 20;

describe('the events consumers on a stream of many shards that splits (DynamoDB Local behind the fault proxy)', () => {
  let bed: StormTestBed;
  let proxy: DynamoDbFaultProxy;
  let receiver: Server;
  let deliveries: StockEvent[] = [];
  let receiverUrl: string;

  beforeAll(async () => {
    bed = await startStormTestBed('events-shards', {
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      EVENTS_IDLE_MS: '100',
      EVENTS_LEASE_MS: String(LEASE_MS),
    });
    const { DYNAMODB_ENDPOINT } = bed.env.config;
    if (!DYNAMODB_ENDPOINT) throw new Error('the test bed runs on DynamoDB Local');
    proxy = await startDynamoDbFaultProxy(DYNAMODB_ENDPOINT);
    // DynamoDB Local's one shard, shown as four, spread by store as DynamoDB places items by partition key.
    proxy.presentShards({ partitionKey: ATTR.storeId, count: 4 });
    ({ server: receiver, url: receiverUrl, deliveries } = await startEventReceiver());
  });

  afterAll(async () => {
    receiver?.close();
    await bed?.stop();
    await proxy?.stop();
  });

  const leases = async () => {
    const { Items = [] } = await bed.env.backends.dynamodb.send(
      new ScanCommand({ TableName: leaseTableName(bed.env.config.DYNAMODB_TABLE), ConsistentRead: true }),
    );
    return Items.map((item) => ({
      shardId: item['leaseKey']?.S ?? '',
      // The worker id names the process: `<host>:<pid>:<random>`.
      pid: Number((item['leaseOwner']?.S ?? '').split(':')[1]),
      checkpoint: item['checkpoint']?.S ?? '',
      parents: item['parentShardIds']?.SS ?? [],
    }));
  };

  it('when three consumers read four shards, the shards split into eight and the busiest consumer is SIGKILLed, then the shards are shared, taken over within 3 lease terms, parents read before children, and every movement arrives once in effect, in order per SKU', async () => {
    const webhook = await new WebhookRepository(
      bed.env.backends.dynamodb,
      bed.env.config.DYNAMODB_TABLE,
      webhookSecretBox(bed.env.config.WEBHOOK_SECRET_KEY),
    ).register({
      url: receiverUrl,
      events: ['stock.movement'],
      secret: 'a-secret-of-some-length',
    });
    const consumers: ChildProcess[] = Array.from({ length: 3 }, () =>
      bed.startWorker({ WORKER_ROLE: 'events', DYNAMODB_ENDPOINT: proxy.url }),
    );
    const livePids = () => consumers.filter((one) => one.exitCode === null && one.signalCode === null).map((one) => one.pid);
    // Shared as evenly as leases allow: four shards over three consumers, every consumer holding one or two.
    await waitUntil(
      'the four shards shared by the three consumers',
      async () => {
        const held = await leases();
        const perPid = consumers.map((one) => held.filter(({ pid }) => pid === one.pid).length);
        return held.length === 4 && perPid.every((count) => count >= 1 && count <= 2);
      },
      30_000,
      200,
    );

    const { updater } = testStockWriters(bed.env);
    const movementIds: string[] = [];
    let written = 0;
    // Every till waits halfway for the split, so half of each SKU's changes fall after it, whatever the box's pace.
    let splitDone = () => undefined as void;
    const afterSplit = new Promise<void>((resolve) => (splitDone = resolve));
    const tills = Array.from({ length: STORES * SKUS }, async (_, till) => {
      for (let change = 0; change < CHANGES; change++) {
        if (change === CHANGES / 2) await afterSplit;
        const { answer } = await updater.adjust({
          store_id: `store-sh-${till % STORES}`,
          sku: `SKU-${Math.floor(till / STORES)}`,
          delta: 1,
          reason: 'receiving',
        });
        movementIds.push(answer.movement.movement_id);
        written += 1;
      }
    });
    const total = STORES * SKUS * CHANGES;
    const received = () => new Set(deliveries.filter((event) => event.type === 'stock.movement').map((event) => event.event_id));
    await waitUntil('half the changes written', () => written >= total / 2, 60_000);
    const { Table } = await bed.env.backends.dynamodb.send(new DescribeTableCommand({ TableName: bed.env.config.DYNAMODB_TABLE }));
    await proxy.splitShards(Table?.LatestStreamArn ?? '');
    splitDone();
    await waitUntil('two thirds of the changes written', () => written >= (2 * total) / 3, 60_000);

    // SIGKILL the consumer holding the most open leases.
    const open = (await leases()).filter(({ checkpoint }) => checkpoint !== 'SHARD_END');
    const busiest = [...consumers].sort(
      (a, b) => open.filter(({ pid }) => pid === b.pid).length - open.filter(({ pid }) => pid === a.pid).length,
    )[0] as ChildProcess;
    busiest.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((resolve) => busiest.once('exit', resolve));
    const takenOver = await waitUntil(
      "the dead consumer's shards taken over",
      async () => {
        const held = (await leases()).filter(({ checkpoint }) => checkpoint !== 'SHARD_END');
        return held.every(({ pid }) => livePids().includes(pid)) && Date.now();
      },
      30_000,
      100,
    );
    await Promise.all(tills);
    await waitUntil('every movement delivered', () => movementIds.every((id) => received().has(id)), 120_000);

    // Stated in libs/events/README.md#shard-leases.
    expect(takenOver - killedAt).toBeLessThanOrEqual(3 * LEASE_MS);
    // Every movement once in effect (a delivery may be repeated; its event id is the receiver's dedupe key), nothing else.
    expect([...received()].sort()).toEqual([...movementIds].sort());
    const firstArrivals = new Map<string, number[]>();
    const seen = new Set<string>();
    for (const event of deliveries) {
      if (seen.has(event.event_id)) continue;
      seen.add(event.event_id);
      const key = `${event.store_id}/${event.sku}`;
      firstArrivals.set(key, [...(firstArrivals.get(key) ?? []), event.version]);
    }
    // In order per SKU, across the split: each SKU's versions 1..CHANGES, by increasing version.
    expect(firstArrivals.size).toBe(STORES * SKUS);
    for (const [, versions] of firstArrivals) expect(versions).toEqual(Array.from({ length: CHANGES }, (_, i) => i + 1));

    // The four parents read to their end, the eight children each listing its parent and read to its last record.
    const streams = new DynamoDBStreamsClient({
      endpoint: proxy.url,
      region: bed.env.config.AWS_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { ends } = await streamEnds(streams, Table?.LatestStreamArn ?? '');
    streams.destroy();
    // Deliveries come before checkpoints: wait for the leases to stand where the stream ends.
    const final = await waitUntil(
      'every lease at its last record',
      async () => {
        const all = await leases();
        const atEnd = all.every(({ shardId, parents, checkpoint }) =>
          parents.length === 0 ? checkpoint === 'SHARD_END' : !ends.has(shardId) || checkpoint === ends.get(shardId),
        );
        return all.length === 12 && atEnd && all;
      },
      30_000,
    );
    const parents = final.filter(({ parents }) => parents.length === 0);
    const children = final.filter(({ parents }) => parents.length > 0);
    expect(parents).toHaveLength(4);
    expect(children).toHaveLength(8);
    for (const child of children) expect(parents.map(({ shardId }) => shardId)).toContain(child.parents[0]);
    // Records after the split reached more than one child (spread by store), each read to its end.
    expect(children.filter(({ shardId }) => ends.has(shardId)).length).toBeGreaterThan(1);
    // The webhook's jobs: one per movement (job id `<webhook>.<event id>`), never a second.
    const queue = createWebhookQueue(bed.env.backends.redis, bed.prefix, 200);
    const jobs = await queue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed']);
    await queue.close();
    const ofWebhook = jobs.filter((job) => job?.data.webhook_id === webhook.webhook_id).map((job) => job.id);
    expect(ofWebhook).toHaveLength(new Set(ofWebhook).size);
    expect(ofWebhook.length).toBe(total);
    process.stdout.write(`shards: 4 split into 8; busiest of 3 consumers SIGKILLed, shards taken over in ${takenOver - killedAt} ms\n`);
  }, 240_000);
});
