import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { baselineQuantity, skuOf, storeIdOf, type StockEvent } from '@inventory/domain/model';
import { seedInventory } from '@inventory/stock/maintenance';
import { dispatchStorm } from '@inventory/restock/storm';
import { manifestRecord } from '@inventory/restock/store-processing';
import { waitForStorm } from '@inventory/restock/store-processing/testing';
import { waitUntil } from '@inventory/service/testing';
import { setQuantityInTableOnly } from '@inventory/stock/inventory-table/testing';
import { LowStockThresholdRepository } from '@inventory/events/low-stock';
import { testStockWriters } from '@inventory/stock/store-update/testing';
import { testPromises } from '@inventory/stock/promises/testing';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { createWebhookQueue, WebhookRepository, webhookSecretBox } from '@inventory/events/webhooks';
import { leaseTableName } from '@inventory/stock/inventory-table';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { startStormTestBed, type StormTestBed } from './storm-test-bed';

const SECRET = 'a-webhook-secret-of-some-length';

/** A local webhook receiver: records every delivery; `answer` decides each one's status. */
interface Receiver {
  url: string;
  deliveries: Array<{ event: StockEvent; attempt: number; signatureValid: boolean; status: number }>;
  server: Server;
}

async function startReceiver(answer: (event: StockEvent, attempt: number) => number): Promise<Receiver> {
  const deliveries: Receiver['deliveries'] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const event = JSON.parse(body) as StockEvent;
    const attempt = Number(req.headers['x-inventory-delivery-attempt']);
    const expected = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const status = answer(event, attempt);
    deliveries.push({ event, attempt, signatureValid: req.headers['x-inventory-signature'] === expected, status });
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, deliveries, server };
}

describe('the events consumer (restock-worker image, events role) as a real process', () => {
  let bed: StormTestBed;
  let all: Receiver;
  let flaky: Receiver;
  let failing: Receiver;
  const consumers: ChildProcess[] = [];
  const register = async (url: string, events: StockEvent['type'][]) => {
    const webhook = await new WebhookRepository(
      bed.env.backends.dynamodb,
      bed.env.config.DYNAMODB_TABLE,
      webhookSecretBox(bed.env.config.WEBHOOK_SECRET_KEY),
    ).register({
      url,
      events,
      secret: SECRET,
    });
    return webhook.webhook_id;
  };
  const startConsumer = () => {
    const consumer = bed.startWorker({ WORKER_ROLE: 'events' });
    consumers.push(consumer);
    return consumer;
  };

  beforeAll(async () => {
    bed = await startStormTestBed('events', {
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_BACKOFF_MS: '200',
      WEBHOOK_RETRY_FOR_SECONDS: '8',
      EVENTS_IDLE_MS: '100',
      EVENTS_LEASE_MS: '2000',
    });
    all = await startReceiver(() => 200);
    flaky = await startReceiver((_event, attempt) => (attempt === 1 ? 500 : 200));
    failing = await startReceiver(() => 500);
  });

  afterAll(async () => {
    for (const consumer of consumers) if (consumer.exitCode === null && consumer.signalCode === null) consumer.kill('SIGKILL');
    for (const receiver of [all, flaky, failing]) receiver?.server.close();
    await bed?.stop();
  });

  it('when the consumer is SIGKILLed mid-stream and restarted, then every movement reaches the receiver once in effect, in order per SKU, with each threshold crossing once, a retried delivery after its 500, and a never-taken one dead-lettered', async () => {
    await register(all.url, ['stock.movement', 'stock.low', 'stock.out', 'stock.restored']);
    await register(flaky.url, ['stock.out']);
    const failingId = await register(failing.url, ['stock.restored']);
    await new LowStockThresholdRepository(bed.env.backends.dynamodb, bed.env.config.DYNAMODB_TABLE).set('store-ev', 'SKU-T', 5);
    const { updater, batches } = testStockWriters(bed.env);

    let consumer = startConsumer();
    const movementIds: string[] = [];
    const set = async (sku: string, quantity: number) =>
      movementIds.push((await updater.update({ store_id: 'store-ev', sku, quantity })).answer.movement.movement_id);
    const adjust = async (sku: string, delta: number) =>
      movementIds.push((await updater.adjust({ store_id: 'store-ev', sku, delta, reason: 'sale' })).answer.movement.movement_id);
    // Ten SKUs taking sales in parallel, each its own sequence; the consumer is killed while they run.
    const tills = Array.from({ length: 10 }, async (_, till) => {
      await set(`SKU-${till}`, 1_000);
      for (let sale = 0; sale < 25; sale++) await adjust(`SKU-${till}`, -1);
    });
    const received = () => new Set(all.deliveries.filter((d) => d.event.type === 'stock.movement').map((d) => d.event.event_id));
    await waitUntil('a third of the movements delivered', () => received().size >= 80, 60_000);
    consumer.kill('SIGKILL');
    await new Promise((resolve) => consumer.once('exit', resolve));
    const deliveredBeforeKill = received().size;
    await Promise.all(tills);
    // The threshold SKU: 0 → 10 (back above 5), 7, 4 (low), 0 (out), 10 (restored).
    await set('SKU-T', 10);
    for (const delta of [-3, -3, -4, 10]) await adjust('SKU-T', delta);
    // A batch row's movement is recorded from the stream by the consumer.
    const batch = await batches.write({
      store_id: 'store-ev',
      error_policy: 'reject_all',
      rows: [{ sku: 'SKU-B', quantity: 3, reason: 'receiving' }],
    });
    const batchMovement = batch.answer.results[0]?.item?.movement;
    if (!batchMovement) throw new Error('the batch row was not applied');
    movementIds.push(batchMovement.movement_id);

    consumer = startConsumer();
    // A delivery the killed process held is handed back once its lock lapses (delivery timeout + 5 s); a busy box adds to that.
    await waitUntil('every movement delivered', () => movementIds.every((id) => received().has(id)), 180_000);
    expect(deliveredBeforeKill).toBeLessThan(movementIds.length);
    expect([...received()].sort()).toEqual([...movementIds].sort());

    // In order per SKU: each SKU's first arrivals come by increasing version.
    const firstArrivals = new Map<string, number[]>();
    const seen = new Set<string>();
    for (const { event } of all.deliveries) {
      if (seen.has(event.event_id)) continue;
      seen.add(event.event_id);
      if (event.type !== 'stock.movement') continue;
      firstArrivals.set(event.sku, [...(firstArrivals.get(event.sku) ?? []), event.version]);
    }
    for (const [, versions] of firstArrivals) expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(all.deliveries.every((delivery) => delivery.signatureValid)).toBe(true);

    // One event per crossing, in the order they happened.
    const crossings = await waitUntil('the crossings delivered', () => {
      const ofSku = [
        ...new Map(
          all.deliveries
            .filter((d) => d.event.sku === 'SKU-T' && d.event.type !== 'stock.movement')
            .map((d) => [d.event.event_id, d.event]),
        ).values(),
      ];
      return ofSku.length >= 4 && ofSku;
    });
    expect(crossings.map((event) => event.type)).toEqual(['stock.restored', 'stock.low', 'stock.out', 'stock.restored']);
    expect(crossings.every((event) => event.low_stock_at === 5)).toBe(true);

    // The receiver that answered 500 first got the stock.out again after its backoff, and took it.
    await waitUntil('the flaky receiver taking stock.out', () => flaky.deliveries.some((d) => d.status === 200));
    expect(flaky.deliveries.map((d) => [d.event.type, d.attempt, d.status])).toEqual([
      ['stock.out', 1, 500],
      ['stock.out', 2, 200],
    ]);

    // The receiver that always fails: both restored events end dead-lettered and listed.
    const queue = createWebhookQueue(bed.env.backends.redis, bed.prefix, 200);
    const deadLetters = await waitUntil(
      'two dead letters',
      async () => {
        const failed = (await queue.getFailed()).filter((job) => job.data.webhook_id === failingId);
        return failed.length === 2 && failed;
      },
      30_000,
      250,
    );
    await queue.close();
    // Retried before it was given up (how many times depends on how busy the box is within the 8 s window).
    expect(deadLetters.every((job) => job.data.event.type === 'stock.restored' && job.attemptsMade >= 2)).toBe(true);
    expect(deadLetters[0]?.failedReason).toMatch(/gave up after \d+ attempts: receiver answered 500/);

    // The batch row's movement is in the SKU's history.
    const history = await bed.env.backends.history.skuMovements('store-ev', 'SKU-B', 10);
    expect(history.movements.map((movement) => movement.movement_id)).toEqual([batchMovement.movement_id]);
    // The store's whole ledger, through the kill: each SKU from nothing to what it holds, no movement twice.
    const skus = [...Array.from({ length: 10 }, (_, till) => `SKU-${till}`), 'SKU-T', 'SKU-B'];
    expect(await ledgerProblemsIn(bed.env.backends, new Map(skus.map((sku) => [`store-ev/${sku}`, 0])))).toEqual([]);
  }, 300_000);

  it('when a change reached DynamoDB but never the counters (its writer died), then the consumer brings the counters and the read version to it', async () => {
    if (consumers.every((consumer) => consumer.exitCode !== null || consumer.signalCode !== null)) startConsumer();
    const { counters, writes, redis, keys } = bed.env.backends;
    const versionBefore = await redis.get(keys.readVersion('store-lost'));
    const written = await setQuantityInTableOnly(writes, 'store-lost', 'SKU-L', 42);
    await waitUntil('the counters holding the lost change', async () => (await counters.store('store-lost')).units === 42, 30_000);
    expect((await counters.storeItemVersions('store-lost')).get('SKU-L')).toMatchObject({ version: written.version, quantity: 42 });
    expect(await redis.get(keys.readVersion('store-lost'))).not.toBe(versionBefore);
  }, 60_000);

  it('when units are reserved and tills sell below them while no consumer runs, then thresholds are crossed by available, stock.promise_at_risk is raised once for the crossing, and every event says what is available', async () => {
    for (const consumer of consumers) if (consumer.exitCode === null && consumer.signalCode === null) consumer.kill('SIGKILL');
    const receiver = await startReceiver(() => 200);
    try {
      const types: StockEvent['type'][] = [
        'stock.low',
        'stock.out',
        'stock.restored',
        'stock.reserved',
        'stock.released',
        'stock.promise_at_risk',
      ];
      await register(receiver.url, types);
      await new LowStockThresholdRepository(bed.env.backends.dynamodb, bed.env.config.DYNAMODB_TABLE).set('store-promise', 'SKU-P', 3);
      const { updater } = testStockWriters(bed.env);
      const sell = (delta: number) => updater.adjust({ store_id: 'store-promise', sku: 'SKU-P', delta, reason: 'sale' });
      await updater.update({ store_id: 'store-promise', sku: 'SKU-P', quantity: 10 }); // from nothing: restored
      const { reservations } = testPromises(bed.env);
      // 10 on hand, 6 held: available 4, above the threshold of 3.
      const { answer: hold } = await reservations.create({
        store_id: 'store-promise',
        items: [{ sku: 'SKU-P', quantity: 6 }],
        expires_in_seconds: 600,
      });
      await sell(-2); // 8 on hand, available 2: low
      await sell(-3); // 5 on hand, available 0: out; 1 promised unit no longer on the shelf: at risk
      await sell(-1); // 4 on hand: 2 at risk, still the same crossing
      await reservations.release(hold.reservation_id); // available 4: restored
      await sell(-1); // 3 on hand, available 3: low

      startConsumer();
      const events = await waitUntil(
        "the promise SKU's events delivered",
        () => {
          const unique = [...new Map(receiver.deliveries.map((d) => [d.event.event_id, d.event])).values()];
          return unique.length >= 8 && unique;
        },
        60_000,
      );
      // A SKU's events come in version order; those of one movement share its version, in any order among themselves.
      const inOrder = [...events].sort((a, b) => a.version - b.version || a.event_id.localeCompare(b.event_id));
      expect(events.map((event) => event.version)).toEqual(inOrder.map((event) => event.version));
      expect(inOrder.map((event) => [event.type, event.quantity, event.available, event.promised_at_risk])).toEqual([
        ['stock.restored', 10, 10, undefined],
        ['stock.reserved', 10, 4, undefined],
        ['stock.low', 8, 2, undefined],
        ['stock.out', 5, 0, undefined],
        ['stock.promise_at_risk', 5, 0, 1],
        ['stock.released', 4, 4, undefined],
        ['stock.restored', 4, 4, undefined],
        ['stock.low', 3, 3, undefined],
      ]);
    } finally {
      receiver.server.close();
    }
  }, 120_000);

  it("when a storm counts fewer units than a SKU has reserved, then the holds are kept, the storm's status counts the SKU and one stock.promise_at_risk says so", async () => {
    if (consumers.every((consumer) => consumer.exitCode !== null || consumer.signalCode !== null)) startConsumer();
    const receiver = await startReceiver(() => 200);
    try {
      await register(receiver.url, ['stock.promise_at_risk']);
      const parameters = { stores: 1, skus_per_store: 200, manifest_seed: 4242, change_ratio: 0.5 };
      const store = storeIdOf(1);
      await seedInventory(bed.env.backends, { stores: 1, skusPerStore: parameters.skus_per_store });
      // SKUs 0–99 held whole (available 0, nothing at risk yet), in four holds.
      const { reservations } = testPromises(bed.env);
      for (const first of [0, 25, 50, 75])
        await reservations.create({
          store_id: store,
          items: Array.from({ length: 25 }, (_, i) => ({ sku: skuOf(first + i), quantity: baselineQuantity(1, first + i) })).filter(
            (item) => item.quantity > 0,
          ),
          expires_in_seconds: 3_600,
        });
      const expected = Array.from({ length: 100 }, (_, i) => i)
        .filter((i) => manifestRecord(parameters.manifest_seed, 1, i, parameters.change_ratio).quantity < baselineQuantity(1, i))
        .map((i) => skuOf(i));
      expect(expected.length).toBeGreaterThan(3);

      const dispatched = await dispatchStorm(bed.queue, bed.records, { ...parameters, duration_seconds: 120, target_cpu: 60 });
      if (!('record' in dispatched)) throw new Error('a storm was already running');
      bed.startWorker();
      const done = await waitForStorm(bed.records, dispatched.record.storm_id, (record) => record.state !== 'running', 120_000);
      expect(done).toMatchObject({ state: 'completed', promises_at_risk: expected.length });
      const flagged = await waitUntil(
        'an at-risk event per short SKU',
        () => {
          const unique = [...new Map(receiver.deliveries.map((d) => [d.event.event_id, d.event])).values()];
          return unique.length >= expected.length && unique;
        },
        60_000,
      );
      expect(flagged.map((event) => event.sku).sort()).toEqual([...expected].sort());
      for (const event of flagged) {
        expect(event.movement.source).toBe('storm');
        expect(event.promised_at_risk).toBe(baselineQuantity(1, Number(event.sku.slice('SKU-'.length)) - 1001) - event.quantity);
      }
      // The holds are kept whole.
      const promised = await bed.env.backends.promiseRecords.ofStore(store);
      for (let i = 0; i < 100; i += 1) expect(promised.get(skuOf(i))?.reserved ?? 0).toBe(baselineQuantity(1, i));
    } finally {
      receiver.server.close();
    }
  }, 240_000);

  it('when three consumers share the stream and the one reading a shard is SIGKILLed, then another takes the shard within 3 lease terms and every movement still arrives, in order per SKU', async () => {
    for (const consumer of consumers) if (consumer.exitCode === null && consumer.signalCode === null) consumer.kill('SIGKILL');
    const receiver = await startReceiver(() => 200);
    try {
      await register(receiver.url, ['stock.movement']);
      const three = [startConsumer(), startConsumer(), startConsumer()];
      const leases = async () => {
        const { Items = [] } = await bed.env.backends.dynamodb.send(
          new ScanCommand({ TableName: leaseTableName(bed.env.config.DYNAMODB_TABLE), ConsistentRead: true }),
        );
        return Items.filter((item) => item['checkpoint']?.S !== 'SHARD_END').map((item) => ({
          shardId: item['leaseKey']?.S ?? '',
          // The worker id names the process: `<host>:<pid>:<random>`.
          pid: Number((item['leaseOwner']?.S ?? '').split(':')[1]),
        }));
      };
      const livePids = () => three.filter((one) => one.exitCode === null && one.signalCode === null).map((one) => one.pid);
      // The dead consumers' leases lapse, then the three share the open shards among themselves.
      const before = await waitUntil(
        'the three consumers holding every open shard',
        async () => {
          const open = await leases();
          return open.length > 0 && open.every(({ pid }) => livePids().includes(pid)) && open;
        },
        30_000,
        200,
      );
      const { updater } = testStockWriters(bed.env);
      const movementIds: string[] = [];
      const tills = Array.from({ length: 10 }, async (_, till) => {
        for (let sale = 0; sale < 30; sale++) {
          const { answer } = await updater.adjust({ store_id: 'store-multi', sku: `SKU-${till}`, delta: 1, reason: 'receiving' });
          movementIds.push(answer.movement.movement_id);
        }
      });
      const received = () => new Set(receiver.deliveries.map((d) => d.event.event_id));
      await waitUntil('some movements delivered', () => received().size >= 50, 60_000);
      // SIGKILL the reader of the first shard.
      const victim = three.find((one) => one.pid === before[0]?.pid) as ChildProcess;
      victim.kill('SIGKILL');
      const killedAt = Date.now();
      await new Promise((resolve) => victim.once('exit', resolve));
      const takenOver = await waitUntil(
        'the shard taken over',
        async () => {
          const open = await leases();
          return open.every(({ pid }) => livePids().includes(pid)) && Date.now();
        },
        30_000,
        100,
      );
      await Promise.all(tills);
      await waitUntil('every movement delivered', () => movementIds.every((id) => received().has(id)), 120_000);
      // Stated in libs/events/README.md#shard-leases: a dead pod's shards are taken within 3 × EVENTS_LEASE_MS (2 s here).
      expect(takenOver - killedAt).toBeLessThanOrEqual(3 * 2_000);
      const firstArrivals = new Map<string, number[]>();
      const seen = new Set<string>();
      for (const { event } of receiver.deliveries) {
        if (seen.has(event.event_id) || event.store_id !== 'store-multi') continue;
        seen.add(event.event_id);
        firstArrivals.set(event.sku, [...(firstArrivals.get(event.sku) ?? []), event.version]);
      }
      for (const [, versions] of firstArrivals) expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect([...firstArrivals.values()].flat()).toHaveLength(300);
      process.stdout.write(`shard leases: ${before.length} open shard(s); taken over ${takenOver - killedAt} ms after the SIGKILL\n`);
    } finally {
      receiver.server.close();
    }
  }, 180_000);
});
