import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type UpdateContinuousBackupsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { enablePointInTimeRecovery, ensureInventoryTable } from './inventory-table';
import { type LocalTable, startLocalTable } from './local-table.testing';

describe('inventory table', () => {
  let local: LocalTable;
  let client: DynamoDBClient;
  let tableName: string;

  beforeAll(async () => {
    local = await startLocalTable({ create: false });
    ({ client, tableName } = local);
  });

  afterAll(() => local.stop());

  it('when created, then it bills on demand, keyed by store then SKU', async () => {
    await ensureInventoryTable(client, tableName);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'store_id', KeyType: 'HASH' },
      { AttributeName: 'sku', KeyType: 'RANGE' },
    ]);
  });

  it('when created, then every item change streams with old and new images, and expires_at is its TTL', async () => {
    await ensureInventoryTable(client, tableName);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table?.LatestStreamArn).toEqual(expect.any(String));
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' });
  });

  it('when ensured again, then the existing table is kept as it is and nothing fails', async () => {
    await ensureInventoryTable(client, tableName);
    await expect(ensureInventoryTable(client, tableName)).resolves.toBeUndefined();
  });

  it('when point-in-time recovery is enabled, then DynamoDB is asked for it on this table (DynamoDB Local cannot do it and says so)', async () => {
    const sent: UpdateContinuousBackupsCommandInput[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateContinuousBackupsCommand') sent.push(args.input as UpdateContinuousBackupsCommandInput);
        return next(args);
      },
      { step: 'initialize', name: 'recordContinuousBackups' },
    );
    await expect(enablePointInTimeRecovery(client, tableName)).rejects.toThrow(/UnknownOperation|not supported|Unknown/i);
    expect(sent).toEqual([{ TableName: tableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }]);
  });
});
