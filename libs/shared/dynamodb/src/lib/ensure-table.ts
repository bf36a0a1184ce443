import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/**
 * Creates a table if it does not exist and waits until it is active, then turns TTL on
 * `ttlAttribute` if it is off. Safe to run again: an existing table is otherwise left as it is.
 */
export async function ensureTable(
  client: DynamoDBClient,
  input: CreateTableCommandInput & { TableName: string },
  ttlAttribute: string,
): Promise<void> {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: input.TableName });
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: input.TableName }));
  // UpdateTimeToLive refuses to enable what is already enabled (or enabling), so ask first.
  if (TimeToLiveDescription?.TimeToLiveStatus === 'DISABLED') {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: ttlAttribute } }),
    );
  }
}

/** Deletes tables, those already gone included (test and tool cleanup). */
export async function deleteTables(client: DynamoDBClient, tableNames: string[]): Promise<void> {
  for (const TableName of tableNames) {
    await client.send(new DeleteTableCommand({ TableName })).catch((error: unknown) => {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    });
  }
}
