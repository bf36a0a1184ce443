import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type LocalDynamoDb, startLocalDynamoDb } from '@inventory/shared/local-services';
import { createRedisConnection, deleteKeysWithPrefix, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { createLogger } from '@inventory/shared/observability';
import { createDynamoDbStreamsClient } from './dynamodb-streams-client';
import { StreamCheckpoints } from './stream-checkpoints';
import { TableStreamReader } from './table-stream.reader';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The reader's lag gauge on a real stream (DynamoDB Local), read one record per page. */
describe('the stream reader: iterator age', () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let redis: RedisConnection;
  let streamArn: string;
  const table = `lag-${randomUUID().slice(0, 8)}`;
  const prefix = `lag-test-${randomUUID().slice(0, 8)}`;

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
    redis = createRedisConnection({ redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', role: 'command' });
    await waitUntilReady(redis);
  });

  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: table }));
    client.destroy();
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await dynamo.stop();
  });

  it('when records wait unread, then the lag is their age; once the reader has caught up, it reads 0 and stays 0 while the stream is idle', async () => {
    const handled: number[] = [];
    const reader = new TableStreamReader({
      streams: createDynamoDbStreamsClient({ region: 'local', endpoint: dynamo.url, timeoutMs: 5_000 }),
      streamArn: async () => streamArn,
      checkpoints: new StreamCheckpoints(redis, `${prefix}:{events}:checkpoints`),
      handle: async (records) => void handled.push(records.length),
      logger: createLogger({ app: 'lag-test', level: 'silent' }),
      idleMs: 50,
      batchSize: 1,
    });
    expect(reader.lag()).toEqual([]);
    for (let i = 0; i < 3; i += 1) await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `item-${i}` } } }));
    // The stream's creation times have second precision: wait past two of them.
    await sleep(2_100);

    expect(await reader.round()).toBe(true);
    const [behind] = reader.lag();
    expect(behind?.seconds).toBeGreaterThanOrEqual(1);

    while (await reader.round());
    expect(handled.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(reader.lag().map(({ seconds }) => seconds)).toEqual([0]);
    await sleep(1_500);
    await reader.round();
    expect(reader.lag().map(({ seconds }) => seconds)).toEqual([0]);
  }, 30_000);
});
