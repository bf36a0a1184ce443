/**
 * Create-and-commit a reservation (`npm run bench -- reservations`; BENCH_ROUNDS, BENCH_SECONDS):
 * the promises lib as write-api runs it (stock/promises) beside a raw loop of the same calls with
 * the SDK and ioredis and nothing else — per hold, the SKU's item and promise record read, one
 * TransactWriteItems (item, movement, promise record, reservation, expiry entry) and the counters
 * script; per commit, the reservation, item and promise record read, one TransactWriteItems and the
 * script. 16 loops, each on a SKU of its own (no contention: that is the lanes' and conditions' job,
 * tested elsewhere). Rounds alternate which side goes first.
 */
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  BatchGetItemCommand,
  GetItemCommand,
  TransactWriteItemsCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { startAppEnvironment } from '@inventory/service/built-apps';
import { createPromises } from '@inventory/stock/promises';
import { runBenchmark } from './processes';
import { createStockWriters } from '@inventory/stock/store-update';
import { createLogger } from '@inventory/shared/observability';
import { createServiceMetrics } from '@inventory/service/bootstrap';
import { loop, pairedRatios, medianSample, type Sample, table } from './stats';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const LOOPS = 16;
const DAY = 24 * 3600;

runBenchmark(async () => {
  const env = await startAppEnvironment({ stores: 1, skusPerStore: 1, ownDynamoDb: true, env: { LOG_LEVEL: 'warn' } });
  const { backends, config } = env;
  const table_ = config.DYNAMODB_TABLE;
  const movements = `${table_}-movements`;
  const logger = createLogger({ app: 'bench', level: 'warn' });
  const metrics = createServiceMetrics(config, 'bench', logger);
  const writers = createStockWriters({ backends, config, logger, metrics });
  const promises = createPromises({ client: backends.dynamodb, writes: backends.writes, writers, logger, metrics });
  // Each loop its own store and SKU, stocked for every round of both sides.
  for (let i = 0; i < LOOPS; i += 1) {
    for (const side of ['ours', 'raw']) await writers.updater.update({ store_id: `${side}-${i}`, sku: 'SKU', quantity: 1_000_000 });
  }

  // A store per running operation, never two at once on one: loop() numbers operations, not loops.
  const free = Array.from({ length: LOOPS }, (_, i) => i);
  const onOwnStore = (operation: (store: number) => Promise<void>) => async (): Promise<void> => {
    const store = free.pop() as number;
    try {
      await operation(store);
    } finally {
      free.push(store);
    }
  };

  const ours = async (i: number) => {
    const { answer } = await promises.reservations.create({
      store_id: `ours-${i}`,
      items: [{ sku: 'SKU', quantity: 1 }],
      expires_in_seconds: 900,
    });
    await promises.reservations.commit(answer.reservation_id, {});
  };

  const itemKey = (store: string) => ({ store_id: { S: store }, sku: { S: 'SKU' } });
  const promiseKey = (store: string) => ({ pk: { S: `promise#${store}` }, sk: { S: 'SKU' } });
  const readSku = async (store: string) => {
    const { Item } = await backends.dynamodb.send(new GetItemCommand({ TableName: table_, Key: itemKey(store), ConsistentRead: true }));
    const { Responses } = await backends.dynamodb.send(
      new BatchGetItemCommand({ RequestItems: { [movements]: { Keys: [promiseKey(store)], ConsistentRead: true } } }),
    );
    const promise = Responses?.[movements]?.[0];
    return {
      version: Number(Item?.['version']?.N),
      quantity: Number(Item?.['quantity']?.N),
      reserved: Number(promise?.['reserved']?.N ?? 0),
    };
  };
  /** The item's next version and its movement, the promise record, and the reservation's own actions, in one transaction; then the counters. */
  const transact = async (
    store: string,
    sku: { version: number; quantity: number },
    delta: number,
    reserved: number,
    reason: string,
    own: TransactWriteItem[],
  ) => {
    const at = new Date();
    const version = sku.version + 1;
    const movement: Record<string, AttributeValue> = {
      pk: { S: `store#${store}` },
      sk: { S: `${at.toISOString()}#SKU#${String(version).padStart(16, '0')}` },
      history_key: { S: `${store}#SKU` },
      expires_at: { N: String(Math.floor(at.getTime() / 1000) + 35 * DAY) },
      movement_id: { S: randomUUID() },
      store_id: { S: store },
      sku: { S: 'SKU' },
      delta: { N: String(delta) },
      quantity_before: { N: String(sku.quantity) },
      quantity_after: { N: String(sku.quantity + delta) },
      version: { N: String(version) },
      reason: { S: reason },
      source: { S: 'api' },
      actor: { S: 'anonymous' },
      at: { S: at.toISOString() },
      change: { S: 'adjust' },
      reserved_after: { N: String(reserved) },
    };
    await backends.dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: table_,
              Key: itemKey(store),
              UpdateExpression: 'SET #q = :q, #v = :v, #m = :m',
              ConditionExpression: '#v = :e',
              ExpressionAttributeNames: { '#q': 'quantity', '#v': 'version', '#m': 'movement_at' },
              ExpressionAttributeValues: {
                ':q': { N: String(sku.quantity + delta) },
                ':v': { N: String(version) },
                ':e': { N: String(sku.version) },
                ':m': { S: at.toISOString() },
              },
            },
          },
          { Put: { TableName: movements, Item: movement } },
          reserved === 0
            ? { Delete: { TableName: movements, Key: promiseKey(store) } }
            : { Put: { TableName: movements, Item: { ...promiseKey(store), reserved: { N: String(reserved) } } } },
          ...own,
        ],
      }),
    );
    await backends.counters.apply(store, [{ sku: 'SKU', version, quantity: sku.quantity + delta }]);
  };
  const raw = async (i: number) => {
    const store = `raw-${i}`;
    const id = randomUUID();
    const holdUntil = Date.now() + 900_000;
    const record = { pk: { S: `reservation#${id}` }, sk: { S: 'record' } };
    const expiry = { pk: { S: `expiry#${Math.floor(holdUntil / 60_000) * 60_000}#0` }, sk: { S: `${holdUntil}#${id}` } };
    const held = await readSku(store);
    if (held.quantity - held.reserved < 1) throw new Error('short');
    await transact(store, held, 0, held.reserved + 1, 'reserve', [
      {
        Put: {
          TableName: movements,
          Item: { ...record, state: { S: 'held' }, hold_until: { N: String(holdUntil) }, body: { S: JSON.stringify({ id, store }) } },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName: movements, Item: { ...expiry, reservation_id: { S: id } } } },
    ]);
    await backends.dynamodb.send(new GetItemCommand({ TableName: movements, Key: record, ConsistentRead: true }));
    const selling = await readSku(store);
    await transact(store, selling, -1, selling.reserved - 1, 'sale', [
      {
        Put: {
          TableName: movements,
          Item: { ...record, state: { S: 'committed' }, hold_until: { N: String(holdUntil) }, body: { S: JSON.stringify({ id, store }) } },
          ConditionExpression: '#s = :h',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':h': { S: 'held' } },
        },
      },
      { Delete: { TableName: movements, Key: expiry } },
    ]);
  };

  const oursSamples: Sample[] = [];
  const rawSamples: Sample[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const sides: Array<[Sample[], () => Promise<void>]> = [
      [oursSamples, onOwnStore(ours)],
      [rawSamples, onOwnStore(raw)],
    ];
    if (round % 2) sides.reverse();
    for (const [samples, operation] of sides) samples.push(await loop(LOOPS, SECONDS, operation));
  }
  process.stdout.write(
    `\n${ROUNDS} rounds of ${SECONDS} s, ${LOOPS} loops; a row is one hold created and committed\n\n${table([
      {
        name: 'create-and-commit a reservation (stock/promises)',
        ours: medianSample(oursSamples),
        baseline: medianSample(rawSamples),
        baselineName: 'raw SDK + ioredis loop of the same calls',
        target: 0.7,
        roundRatios: pairedRatios(oursSamples, rawSamples),
      },
    ])}\n`,
  );
  await metrics.close(1_000);
  await env.stop();
});
