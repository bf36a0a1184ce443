import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateContinuousBackupsCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/** Attribute names of an inventory item: the partition key is the store, the sort key the SKU. */
export const ATTR = {
  storeId: 'store_id',
  sku: 'sku',
  quantity: 'quantity',
  updatedAt: 'updated_at',
  version: 'version',
  contentHash: 'content_hash',
  restockStorm: 'restock_storm',
} as const;

/**
 * Creates the inventory table (on-demand billing) if it does not exist and waits until it is
 * active. Safe to run again: an existing table is left as it is.
 */
export async function ensureInventoryTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: ATTR.storeId, AttributeType: 'S' },
          { AttributeName: ATTR.sku, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: ATTR.storeId, KeyType: 'HASH' },
          { AttributeName: ATTR.sku, KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: tableName });
}

/**
 * Turns on point-in-time recovery (restore to any second of the last 35 days), as production
 * tables have it. Idempotent.
 */
export async function enablePointInTimeRecovery(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new UpdateContinuousBackupsCommand({
      TableName: tableName,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    }),
  );
}
