import type { Server } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { StockEvent } from '@inventory/domain/model';
import { waitUntil } from '@inventory/service/testing';
import { setQuantityInTableOnly } from '@inventory/stock/inventory-table/testing';
import { LowStockThresholdRepository } from '@inventory/events/low-stock';
import { testStockWriters } from '@inventory/stock/store-update/testing';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { RetentionGaps } from '@inventory/stock/movements';
import { leaseTableName } from '@inventory/stock/inventory-table';
import { createWebhookQueue, WebhookRepository, webhookSecretBox } from '@inventory/events/webhooks';
import { type DynamoDbFaultProxy, freePort, startDynamoDbFaultProxy, streamEnds } from '@inventory/shared/local-services';
import { startEventReceiver, startStormTestBed, type StormTestBed } from './storm-test-bed';

const STORES = ['store-rt-1', 'store-rt-2'];
const SKUS = ['SKU-0', 'SKU-1', 'SKU-2'];

describe("the events consumer whose checkpoint fell out of the stream's 24 h (DynamoDB Local behind the fault proxy)", () => {
  let bed: StormTestBed;
  let proxy: DynamoDbFaultProxy;
  let receiver: Server;
  let deliveries: StockEvent[] = [];
  let receiverUrl: string;
  let streams: DynamoDBStreamsClient;
  let streamArn: string;
  let gaps: RetentionGaps;
  const received = () => new Set(deliveries.filter((event) => event.type === 'stock.movement').map((event) => event.event_id));
  /** The stream's last sequence number now. */
  const streamEnd = async () => [...(await streamEnds(streams, streamArn)).ends.values()].reduce((a, b) => (BigInt(b) > BigInt(a) ? b : a));
  const killed = async (consumer: ChildProcess) => {
    consumer.kill('SIGKILL');
    await new Promise((resolve) => consumer.once('exit', resolve));
  };
  const consumers: ChildProcess[] = [];
  /** A consumer through the proxy, killed after its test whatever the test's outcome. */
  const startConsumer = (env: NodeJS.ProcessEnv = {}) => {
    const consumer = bed.startWorker({ WORKER_ROLE: 'events', DYNAMODB_ENDPOINT: proxy.url, ...env });
    consumers.push(consumer);
    return consumer;
  };
  afterEach(async () => {
    for (const consumer of consumers.splice(0)) if (consumer.exitCode === null && consumer.signalCode === null) await killed(consumer);
  });
  /** A consumer through the proxy, once it has checkpointed the stream's last record. */
  const caughtUpConsumer = async (movementIds: string[]) => {
    const consumer = startConsumer();
    await waitUntil('the movements delivered', () => movementIds.every((id) => received().has(id)), 60_000);
    const last = await streamEnd();
    await waitUntil('the checkpoint at the last record', async () => {
      const { Items = [] } = await bed.env.backends.dynamodb.send(
        new ScanCommand({ TableName: leaseTableName(bed.env.config.DYNAMODB_TABLE), ConsistentRead: true }),
      );
      return Items.some((item) => item['checkpoint']?.S === last);
    });
    return consumer;
  };

  beforeAll(async () => {
    bed = await startStormTestBed('events-retention', {
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      EVENTS_IDLE_MS: '100',
      EVENTS_LEASE_MS: '2000',
    });
    const { DYNAMODB_ENDPOINT } = bed.env.config;
    if (!DYNAMODB_ENDPOINT) throw new Error('the test bed runs on DynamoDB Local');
    proxy = await startDynamoDbFaultProxy(DYNAMODB_ENDPOINT);
    ({ server: receiver, url: receiverUrl, deliveries } = await startEventReceiver());
    const { dynamodb } = bed.env.backends;
    const table = bed.env.config.DYNAMODB_TABLE;
    await new WebhookRepository(dynamodb, table, webhookSecretBox(bed.env.config.WEBHOOK_SECRET_KEY)).register({
      url: receiverUrl,
      events: ['stock.movement', 'stock.low', 'stock.out', 'stock.restored'],
      secret: 'a-secret-of-some-length',
    });
    streams = new DynamoDBStreamsClient({
      endpoint: bed.env.config.DYNAMODB_ENDPOINT,
      region: bed.env.config.AWS_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
    streamArn = Table?.LatestStreamArn ?? '';
    gaps = new RetentionGaps(dynamodb, table);
  });

  afterAll(async () => {
    streams?.destroy();
    receiver?.close();
    await bed?.stop();
    await proxy?.stop();
  });

  it('when the consumer comes back after the stream dropped the records past its checkpoint, then the alarm is raised and every movement, crossing and counter catch-up of the gap is applied once, from the movements table', async () => {
    const { dynamodb } = bed.env.backends;
    const table = bed.env.config.DYNAMODB_TABLE;
    await new LowStockThresholdRepository(dynamodb, table).set('store-rt-1', 'SKU-T', 5);
    const { updater, batches } = testStockWriters(bed.env);
    const movementIds: string[] = [];
    const adjust = async (store: string, sku: string, delta: number) =>
      movementIds.push((await updater.adjust({ store_id: store, sku, delta, reason: 'sale' })).answer.movement.movement_id);
    const set = async (store: string, sku: string, quantity: number) =>
      movementIds.push((await updater.update({ store_id: store, sku, quantity })).answer.movement.movement_id);

    // Before the gap: the consumer takes every change and checkpoints the stream's last record; then it dies.
    for (const store of STORES) for (const sku of SKUS) await set(store, sku, 100);
    await set('store-rt-1', 'SKU-T', 10);
    let consumer = await caughtUpConsumer(movementIds);
    await killed(consumer);
    const beforeGap = movementIds.length;

    // The gap: sales on every SKU, the threshold SKU going low then out, an all-or-none batch (its
    // rows' movements recorded only by the consumer), and a change that never reached the counters.
    for (const store of STORES) for (const sku of SKUS) for (let sale = 0; sale < 3; sale++) await adjust(store, sku, -1);
    for (const delta of [-3, -3, -4]) await adjust('store-rt-1', 'SKU-T', delta);
    const batch = await batches.write({
      store_id: 'store-rt-2',
      error_policy: 'reject_all',
      rows: [
        { sku: 'SKU-B1', quantity: 3, reason: 'receiving' },
        { sku: 'SKU-B2', quantity: 7, reason: 'receiving', reference: 'PO-7' },
      ],
    });
    const batchMovements = batch.answer.results.map((result) => result.item?.movement?.movement_id ?? '');
    movementIds.push(...batchMovements);
    const lost = await setQuantityInTableOnly(bed.env.backends.writes, 'store-rt-1', 'SKU-2', 42);
    const [lostMovement] = (await bed.env.backends.history.skuMovements('store-rt-1', 'SKU-2', 1)).movements;
    movementIds.push(lostMovement?.movement_id ?? 'the change that never reached the counters has no movement');
    const gapIds = movementIds.slice(beforeGap);

    // The stream has since dropped all of that: it keeps only what comes from here on.
    await adjust('store-rt-1', 'SKU-1', -1);
    proxy.trimStream(await streamEnd());
    for (const store of STORES) await adjust(store, 'SKU-0', -1);

    const managementPort = await freePort();
    consumer = startConsumer({ MANAGEMENT_PORT: String(managementPort) });
    await waitUntil('every movement delivered', () => movementIds.every((id) => received().has(id)), 120_000);
    await waitUntil('the gap replayed', async () => (await gaps.open()).length === 0, 60_000);

    // The alarm was raised, and the gap's movements came from the movements table.
    const exposition = await (await fetch(`http://127.0.0.1:${managementPort}/metrics`)).text();
    expect(Number(/^inventory_events_checkpoint_trimmed_total\S* (\d+)/m.exec(exposition)?.[1])).toBe(1);
    expect(Number(/^inventory_events_gap_movements_replayed_total\S* (\d+)/m.exec(exposition)?.[1])).toBeGreaterThanOrEqual(gapIds.length);
    // Every movement once: each event reached the receiver once (the replay's window overlaps the
    // stream's records at both edges; the same event ids make the same jobs).
    const ids = deliveries.map((event) => event.event_id);
    expect(ids).toHaveLength(new Set(ids).size);
    expect([...received()].sort()).toEqual([...movementIds].sort());
    for (const id of gapIds) expect(received()).toContain(id);
    // The threshold SKU's crossings of the gap, once each, in order.
    const crossings = deliveries.filter((event) => event.sku === 'SKU-T' && event.type !== 'stock.movement');
    expect(crossings.map((event) => [event.type, event.quantity])).toEqual([
      ['stock.restored', 10],
      ['stock.low', 4],
      ['stock.out', 0],
    ]);
    // The batch rows' movements recorded, as the stream would have had the consumer record them.
    for (const [sku, id] of [
      ['SKU-B1', batchMovements[0]],
      ['SKU-B2', batchMovements[1]],
    ]) {
      const history = await bed.env.backends.history.skuMovements('store-rt-2', sku ?? '', 10);
      expect(history.movements.map((movement) => movement.movement_id)).toEqual([id]);
    }
    expect((await bed.env.backends.history.skuMovements('store-rt-2', 'SKU-B2', 10)).movements[0]).toMatchObject({
      reason: 'receiving',
      reference: 'PO-7',
      quantity_before: 0,
      quantity_after: 7,
    });
    // The change the counters never got is in them, and every counter equals the table.
    expect((await bed.env.backends.counters.storeItemVersions('store-rt-1')).get('SKU-2')).toEqual({ version: lost.version, quantity: 42 });
    for (const store of STORES) {
      const items = await bed.env.backends.repository.listStoreItems(store);
      const counted = await bed.env.backends.counters.storeItemVersions(store);
      for (const { sku } of items) {
        const { version, quantity } = await bed.env.backends.writes.readState(store, sku);
        expect([sku, counted.get(sku)]).toEqual([sku, { version, quantity }]);
      }
    }
    // The ledger adds up: each SKU from nothing to what it holds, no movement twice or missing.
    const expected = new Map(
      [
        ...STORES.flatMap((store) => SKUS.map((sku) => `${store}/${sku}`)),
        'store-rt-1/SKU-T',
        'store-rt-2/SKU-B1',
        'store-rt-2/SKU-B2',
      ].map((key) => [key, 0]),
    );
    expect(await ledgerProblemsIn(bed.env.backends, expected)).toEqual([]);
    // One job per event and webhook, none left failing.
    const queue = createWebhookQueue(bed.env.backends.redis, bed.prefix, 200);
    expect(await queue.getFailedCount()).toBe(0);
    await queue.close();
    await killed(consumer);
  }, 240_000);

  it('when the consumer replaying a gap is SIGKILLed after recording some of its progress, then another takes the gap over once the claim lapses, and every movement of the gap arrives once in effect', async () => {
    const { updater } = testStockWriters(bed.env);
    const marker = (await updater.adjust({ store_id: 'store-rt-1', sku: 'SKU-1', delta: 1, reason: 'receiving' })).answer.movement
      .movement_id;
    const before = await caughtUpConsumer([marker]);
    await killed(before);
    // A gap over more stores than a step of the replay (32), so progress is recorded before it ends.
    const gapIds: string[] = [];
    for (let store = 0; store < 80; store++)
      gapIds.push((await updater.update({ store_id: `store-rk-${store}`, sku: 'SKU-K', quantity: 5 })).answer.movement.movement_id);
    await updater.adjust({ store_id: 'store-rt-1', sku: 'SKU-1', delta: 1, reason: 'receiving' });
    proxy.trimStream(await streamEnd());
    // Every DynamoDB call slowed, as across a network: the replay takes long enough to be killed halfway.
    proxy.latency(30);
    const replaying = startConsumer();
    const progress = await waitUntil(
      'some of the gap replayed',
      async () => (await gaps.open()).find((gap) => gap.done_through !== '')?.done_through,
      60_000,
      50,
    );
    await killed(replaying);
    expect(gapIds.some((id) => !received().has(id))).toBe(true);
    const takeover = startConsumer();
    await waitUntil('the gap replayed by the other consumer', async () => (await gaps.open()).length === 0, 90_000);
    proxy.latency(0);
    await waitUntil('every movement of the gap delivered', () => gapIds.every((id) => received().has(id)), 60_000);
    expect(progress).toMatch(/^store-/);
    expect(
      await ledgerProblemsIn(bed.env.backends, new Map(Array.from({ length: 80 }, (_, store) => [`store-rk-${store}/SKU-K`, 0]))),
    ).toEqual([]);
    await killed(takeover);
  }, 240_000);
});
