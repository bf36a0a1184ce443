import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { DependencyUnavailableError } from '@inventory/domain/model';
import { type LocalDynamoDb, startDynamoDbFaultProxy, startLocalDynamoDb } from '@inventory/shared/local-services';
import { createLogger } from '@inventory/shared/observability';
import { createDynamoDbStreamsClient } from './dynamodb-streams-client';
import { ensureLeaseTable, leaseTableName } from '@inventory/stock/inventory-table';
import { ShardLeaseCoordinator } from './shard-leases/shard-lease.coordinator';
import { ShardLeaseTable } from './shard-leases/shard-lease.table';
import { listShards, TableStreamReader } from './table-stream.reader';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The reader's lag gauge on a real stream (DynamoDB Local), read one record per page. */
describe('the stream reader: iterator age', () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let streamArn: string;
  const table = `lag-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb(0, '127.0.0.1');
    client = new DynamoDBClient({ endpoint: dynamo.url, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const created = await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    streamArn = created.TableDescription?.LatestStreamArn ?? '';
    await ensureLeaseTable(client, table);
  });

  afterAll(async () => {
    for (const TableName of [table, leaseTableName(table)]) await client.send(new DeleteTableCommand({ TableName }));
    client.destroy();
    await dynamo.stop();
  });

  it('when records wait unread, then the lag is their age; once the reader has caught up, it reads 0 and stays 0 while the stream is idle', async () => {
    const handled: number[] = [];
    const streams = createDynamoDbStreamsClient({ region: 'local', endpoint: dynamo.url, timeoutMs: 5_000 });
    const logger = createLogger({ app: 'lag-test', level: 'silent' });
    const leases = new ShardLeaseCoordinator({
      table: new ShardLeaseTable(client, table),
      shards: () => listShards(streams, streamArn),
      failoverMs: 10_000,
      logger,
    });
    const reader = new TableStreamReader({
      streams,
      streamArn: async () => streamArn,
      positions: leases,
      handle: async (records) => void handled.push(records.length),
      deadLetter: async () => {
        throw new Error('nothing here fails');
      },
      logger,
      idleMs: 50,
      batchSize: 1,
    });
    expect(reader.lag()).toEqual([]);
    for (let i = 0; i < 3; i += 1) await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `item-${i}` } } }));
    // The stream's creation times have second precision: wait past two of them.
    await sleep(2_100);
    // The one worker takes every shard's lease.
    await leases.takeShare();
    expect(leases.heldShards().length).toBeGreaterThan(0);

    expect(await reader.round()).toBe(true);
    const [behind] = reader.lag();
    expect(behind?.seconds).toBeGreaterThanOrEqual(1);

    while (await reader.round());
    expect(handled.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(reader.lag().map(({ seconds }) => seconds)).toEqual([0]);
    await sleep(1_500);
    await reader.round();
    expect(reader.lag().map(({ seconds }) => seconds)).toEqual([0]);
    // Given up, the lease is the next worker's at once.
    await leases.stop();
  }, 30_000);

  it('when one record fails every try, then it alone is dead-lettered and the shard moves on; when DynamoDB is away, then nothing is dead-lettered and the shard waits', async () => {
    const streams = createDynamoDbStreamsClient({ region: 'local', endpoint: dynamo.url, timeoutMs: 5_000 });
    const logger = createLogger({ app: 'poison-test', level: 'silent' });
    const leases = new ShardLeaseCoordinator({
      table: new ShardLeaseTable(client, table),
      shards: () => listShards(streams, streamArn),
      failoverMs: 10_000,
      logger,
      workerId: 'poison-test',
    });
    await leases.takeShare();
    const keyOf = (record: _Record) => record.dynamodb?.Keys?.['pk']?.S ?? '';
    const handled: string[] = [];
    const dead: string[] = [];
    let outage = true;
    const reader = new TableStreamReader({
      streams,
      streamArn: async () => streamArn,
      positions: leases,
      handle: async (records) => {
        if (outage) throw new DependencyUnavailableError('DYNAMODB_UNAVAILABLE', 'DynamoDB is unavailable; retry later', 1);
        if (records.some((record) => keyOf(record) === 'poison')) throw new SyntaxError('Unexpected token b in JSON');
        handled.push(...records.map(keyOf));
      },
      deadLetter: async (_shardId, record) => void dead.push(keyOf(record)),
      logger,
      idleMs: 50,
      attempts: 2,
    });
    for (const pk of ['before', 'poison', 'after']) await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }));
    // An outage: the round fails, nothing is dead-lettered, nothing is skipped.
    let refused: unknown;
    for (let round = 0; round < 50 && !refused; round++)
      refused = await reader.round().then(
        () => sleep(100),
        (error: unknown) => error,
      );
    expect(String(refused)).toMatch(/unavailable/);
    expect(dead).toEqual([]);
    outage = false;
    for (let round = 0; round < 50 && !handled.includes('after'); round++) await reader.round();
    expect(dead).toEqual(['poison']);
    expect(handled).toEqual(expect.arrayContaining(['before', 'after']));
    expect(handled.indexOf('before')).toBeLessThan(handled.lastIndexOf('after'));
    expect(handled).not.toContain('poison');
    await leases.stop();
  }, 30_000);

  it("when a shard's checkpoint is older than the stream keeps, then the reader raises the alarm once and resumes at the stream's oldest record", async () => {
    // The stream answers as AWS does for a position it no longer holds (DynamoDB Local keeps 24 h too, so a proxy says it).
    const proxy = await startDynamoDbFaultProxy(dynamo.url);
    const streams = createDynamoDbStreamsClient({ region: 'local', endpoint: proxy.url, timeoutMs: 5_000 });
    const logger = createLogger({ app: 'trim-test', level: 'silent' });
    const leaseTable = new ShardLeaseTable(client, table);
    const leases = new ShardLeaseCoordinator({
      table: leaseTable,
      shards: () => listShards(streams, streamArn),
      failoverMs: 10_000,
      logger,
    });
    await leases.takeShare();
    const [shardId = ''] = leases.heldShards();
    const checkpoint = leases.checkpoints().get(shardId)?.checkpoint ?? '';
    expect(checkpoint).toMatch(/^\d+$/);
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'late' } } }));
    proxy.inject('GetShardIterator', (call) => (call === 1 ? { error: 'TrimmedDataAccessException' } : undefined));
    const handled: string[] = [];
    const trimmed: Array<[string, string, number]> = [];
    const reader = new TableStreamReader({
      streams,
      streamArn: async () => streamArn,
      positions: leases,
      handle: async (records) => void handled.push(...records.map((record) => record.dynamodb?.Keys?.['pk']?.S ?? '')),
      deadLetter: async () => {
        throw new Error('nothing here fails');
      },
      trimmed: async (shard, position, oldestKeptAt) => void trimmed.push([shard, position, oldestKeptAt]),
      logger,
      idleMs: 50,
    });
    while (await reader.round());
    // Told with when the oldest record kept was written (the first test's first item), before any was handled.
    expect(trimmed).toEqual([[shardId, checkpoint, expect.any(Number)]]);
    expect(Date.now() - (trimmed[0]?.[2] ?? 0)).toBeLessThan(60_000);
    // From the oldest record: the first test's items again, then everything after, in order.
    expect(handled.slice(0, 3)).toEqual(['item-0', 'item-1', 'item-2']);
    expect(handled.at(-1)).toBe('late');
    expect(proxy.calls('GetShardIterator')).toBe(2);
    await reader.round();
    expect(trimmed).toHaveLength(1);
    await leases.stop();
    streams.destroy();
    await proxy.stop();
  }, 30_000);
});
