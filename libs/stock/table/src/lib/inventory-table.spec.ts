import { DescribeTableCommand, type DynamoDBClient, type UpdateContinuousBackupsCommandInput } from '@aws-sdk/client-dynamodb';
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

  it('when point-in-time recovery is enabled, then DynamoDB is asked for it on this table (dynalite cannot do it and says so)', async () => {
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
