import { type DynamoDBClient, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { deleteTables, ensureTable } from '@inventory/shared/dynamodb';
import { ensureMovementTable, movementTableName } from '@inventory/stock/movements';

/** Attribute names of an inventory item: the partition key is the store, the sort key the SKU. */
export const ATTR = {
  storeId: 'store_id',
  sku: 'sku',
  quantity: 'quantity',
  updatedAt: 'updated_at',
  version: 'version',
  contentHash: 'content_hash',
  restockStorm: 'restock_storm',
  /** The last storm's movement of the item (JSON), so a retried job can record it again. */
  stormMovement: 'storm_movement',
  /**
   * The `at` of the movement an API write recorded with its change: with the SKU and version it
   * is the movement's key, so the events consumer finds the record of each change in the stream.
   */
  movementAt: 'movement_at',
  /** A batch row's movement (JSON), which the events consumer records from the stream (libs/restock/README.md#live-changes-are-kept). */
  batchMovement: 'batch_movement',
  /** Epoch seconds after which DynamoDB's TTL deletes an item that expires (none of the stock does). */
  expiresAt: 'expires_at',
} as const;

/**
 * Creates the inventory table as in AWS if it does not exist: on-demand billing, a stream of every
 * item change with old and new images (what events are built from), and TTL on `expires_at`; then
 * its movements table (stock/movements) and the events consumer's lease table. Waits until all are active. Safe to run again:
 * existing tables are left as they are, except that TTL is turned on if it is off.
 */
export async function ensureInventoryTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await ensureTable(
    client,
    {
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
    },
    ATTR.expiresAt,
  );
  await ensureMovementTable(client, tableName);
  await ensureLeaseTable(client, tableName);
}

/** Creates the events consumer's lease table if it is missing: on demand, a lease per item, TTL ending finished shards' leases. */
export async function ensureLeaseTable(client: DynamoDBClient, inventoryTable: string): Promise<void> {
  await ensureTable(
    client,
    {
      TableName: leaseTableName(inventoryTable),
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'leaseKey', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }],
    },
    ATTR.expiresAt,
  );
}

/**
 * The events consumer's shard leases (libs/events/README.md#shard-leases): one item per shard of
 * the inventory table's stream, beside the table whose stream it is; TTL ends finished shards' leases.
 */
export const leaseTableName = (inventoryTable: string) => `${inventoryTable}-events-leases`;

/** Deletes the inventory table and its movements table (test and tool cleanup). */
export async function deleteInventoryTables(client: DynamoDBClient, tableName: string): Promise<void> {
  await deleteTables(client, [tableName, movementTableName(tableName), leaseTableName(tableName)]);
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
