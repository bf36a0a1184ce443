import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
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
  /** Epoch seconds after which DynamoDB's TTL deletes a record (movement history, idempotency keys). */
  expiresAt: 'expires_at',
} as const;

/**
 * Creates the inventory table as in AWS if it does not exist: on-demand billing, a stream of every
 * item change with old and new images (what events and derived records are built from), and TTL on
 * `expires_at`. Waits until it is active. Safe to run again: an existing table is left as it is,
 * except that TTL is turned on if it is off.
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
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: tableName });
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  // UpdateTimeToLive refuses to enable what is already enabled (or enabling), so ask first.
  if (TimeToLiveDescription?.TimeToLiveStatus === 'DISABLED') {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: ATTR.expiresAt } }),
    );
  }
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
