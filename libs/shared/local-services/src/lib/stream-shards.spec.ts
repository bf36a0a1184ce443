import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { startDynamoDbFaultProxy, type DynamoDbFaultProxy } from './dynamodb-fault-proxy';
import { startLocalDynamoDb, type LocalDynamoDb } from './local-dynamodb';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('a stream presented as many shards by the fault proxy (DynamoDB Local behind it)', () => {
  let dynamo: LocalDynamoDb;
  let proxy: DynamoDbFaultProxy;
  let table: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  const tableName = `shards-${randomUUID().slice(0, 8)}`;
  let streamArn = '';

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    proxy = await startDynamoDbFaultProxy(dynamo.url);
    table = new DynamoDBClient({ endpoint: proxy.url, region: 'us-east-1', credentials });
    streams = new DynamoDBStreamsClient({ endpoint: proxy.url, region: 'us-east-1', credentials });
    const created = await table.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    streamArn = created.TableDescription?.LatestStreamArn ?? '';
    proxy.presentShards({ partitionKey: 'pk', count: 3 });
  });

  afterAll(async () => {
    await table?.send(new DeleteTableCommand({ TableName: tableName }));
    table?.destroy();
    streams?.destroy();
    await proxy?.stop();
    await dynamo?.stop();
  });

  // A run of one key's records (more than a page: the other shards' readers must be led past it), then twelve keys interleaved.
  const keyOf = (i: number) => (i < 25 ? 'key-0' : `key-${i % 12}`);
  const PUTS = 73;
  const put = async (round: number) => {
    for (let i = 0; i < PUTS; i += 1)
      await table.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: keyOf(i) }, sk: { S: `${round}-${i}` } } }));
  };
  const written = (round: number) => Array.from({ length: PUTS }, (_, i) => `${keyOf(i)}/${round}-${i}`).sort();
  const shards = async () => (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
  /** A shard read from its oldest record to its first empty page (where the stream has no more now): its items' `pk/sk`, and whether it ended. */
  const read = async (shardId: string) => {
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const items: string[] = [];
    while (ShardIterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 10 }));
      for (const record of page.Records ?? []) items.push(`${record.dynamodb?.Keys?.['pk']?.S}/${record.dynamodb?.Keys?.['sk']?.S}`);
      ShardIterator = page.NextShardIterator;
      if ((page.Records ?? []).length === 0) break;
    }
    return { items, ended: ShardIterator === undefined };
  };
  const keysOf = (items: string[]) => new Set(items.map((item) => item.split('/')[0]));

  it("when the stream is read through the proxy, then its records are spread over three open shards, each key in one, each record once and in order, a shard's page empty only where the stream has no more; after a split, each parent ends at the split and two children listing it take its keys' later records", async () => {
    await put(1);
    const before = await shards();
    expect(before).toHaveLength(3);
    expect(before.every((shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined)).toBe(true);
    const first = await Promise.all(before.map((shard) => read(shard.ShardId ?? '')));
    expect(first.every(({ ended }) => !ended)).toBe(true);
    expect(first.flatMap(({ items }) => items).sort()).toEqual(written(1));
    expect(first.filter(({ items }) => items.length > 0).length).toBeGreaterThan(1);
    const owners = first.flatMap(({ items }, shard) => [...keysOf(items)].map((key) => `${key}:${shard}`));
    expect(new Set(owners.map((owner) => owner.split(':')[0])).size).toBe(owners.length);
    // In order within a shard: the round's puts were made by increasing i.
    for (const { items } of first) {
      const order = items.map((item) => Number(item.split('-').at(-1)));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }

    const splitAfter = await proxy.splitShards(streamArn);
    await put(2);
    const after = await shards();
    const parents = after.filter((shard) => !shard.ParentShardId);
    const children = after.filter((shard) => shard.ParentShardId);
    expect(parents.map((shard) => shard.ShardId)).toEqual(before.map((shard) => shard.ShardId));
    expect(children).toHaveLength(6);
    expect(parents.every((shard) => BigInt(shard.SequenceNumberRange?.EndingSequenceNumber ?? '0') === splitAfter)).toBe(true);
    // Each parent ends having given exactly what it gave before the split.
    const parentReads = await Promise.all(parents.map((shard) => read(shard.ShardId ?? '')));
    expect(parentReads.map(({ ended }) => ended)).toEqual([true, true, true]);
    expect(parentReads.map(({ items }) => items)).toEqual(first.map(({ items }) => items));
    // The children hold every later record once; a key's later records are in a child of the parent that held it.
    const childReads = await Promise.all(children.map((shard) => read(shard.ShardId ?? '')));
    expect(childReads.flatMap(({ items }) => items).sort()).toEqual(written(2));
    for (const [index, { items }] of childReads.entries()) {
      const parent = parents.findIndex((shard) => shard.ShardId === children[index]?.ParentShardId);
      for (const key of keysOf(items)) expect(keysOf(first[parent]?.items ?? []).has(key)).toBe(true);
    }
  }, 60_000);
});
