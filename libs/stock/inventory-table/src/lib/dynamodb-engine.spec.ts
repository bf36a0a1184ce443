/**
 * What the engine itself must do for the features built on it (idempotency keys, movement records,
 * events): checked against the real thing, DynamoDB Local, not assumed.
 */
import {
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { type LocalTable, startLocalTable } from './local-table.testing';
import { StockWriteRepository } from './stock-write.repository';
import { setQuantityInTableOnly } from '../testing';

describe('the DynamoDB engine', () => {
  let local: LocalTable;
  let client: DynamoDBClient;
  let tableName: string;
  let writes: StockWriteRepository;

  beforeAll(async () => {
    local = await startLocalTable();
    ({ client, tableName } = local);
    writes = new StockWriteRepository(client, tableName);
  });

  afterAll(() => local.stop());

  const quantityOf = async (sku: string) => {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: { store_id: { S: 'store-tx' }, sku: { S: sku } }, ConsistentRead: true }),
    );
    return Item?.['quantity']?.N;
  };

  it('when one condition of a TransactWriteItems fails, then the whole transaction is cancelled and nothing changes', async () => {
    await setQuantityInTableOnly(writes, 'store-tx', 'SKU-A', 5);
    const transaction = client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: { store_id: { S: 'store-tx' }, sku: { S: 'SKU-B' }, quantity: { N: '7' } } } },
          {
            Update: {
              TableName: tableName,
              Key: { store_id: { S: 'store-tx' }, sku: { S: 'SKU-A' } },
              UpdateExpression: 'SET quantity = :q',
              ConditionExpression: 'quantity = :expected',
              ExpressionAttributeValues: { ':q': { N: '1' }, ':expected': { N: '999' } },
            },
          },
        ],
      }),
    );
    await expect(transaction).rejects.toBeInstanceOf(TransactionCanceledException);
    await expect(transaction).rejects.toMatchObject({ CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }] });
    expect(await quantityOf('SKU-A')).toBe('5');
    expect(await quantityOf('SKU-B')).toBeUndefined();
  });

  it('when a stock write changes an item, then the table stream carries that change once, with old and new images', async () => {
    await setQuantityInTableOnly(writes, 'store-stream', 'SKU-S', 10);
    await setQuantityInTableOnly(writes, 'store-stream', 'SKU-S', 4);

    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const streams = new DynamoDBStreamsClient({
      region: 'us-east-1',
      endpoint: local.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const records: _Record[] = [];
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: Table?.LatestStreamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      // An open shard always answers a next iterator; stop once a read brings nothing new.
      while (ShardIterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
        records.push(...(page.Records ?? []));
        if ((page.Records ?? []).length === 0) break;
        ShardIterator = page.NextShardIterator;
      }
    }
    streams.destroy();

    const ofItem = records.filter((record) => record.dynamodb?.Keys?.['store_id']?.S === 'store-stream');
    expect(ofItem.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY']);
    const [, modify] = ofItem;
    expect(modify.dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(modify.dynamodb?.OldImage).toMatchObject({ quantity: { N: '10' }, version: { N: '1' } });
    expect(modify.dynamodb?.NewImage).toMatchObject({ quantity: { N: '4' }, version: { N: '2' } });
  });
});
