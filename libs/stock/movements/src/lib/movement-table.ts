import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '@inventory/shared/dynamodb';

/**
 * The movements table sits beside the inventory table, named after it: movement history outgrows
 * the stock items a hundredfold (35 days of every change), and keeping it apart keeps the
 * operator's scan of the inventory (reconcile) and its backups the size of the stock itself.
 * It also holds the idempotency records (stock/idempotency), which a stock write puts in the same transaction.
 */
export function movementTableName(inventoryTable: string): string {
  return `${inventoryTable}-movements`;
}

export const MOVEMENT_ATTR = {
  /** `store#<store>` for a store's movements, `idem#<key>` for an idempotency record. */
  pk: 'pk',
  /** A movement: `<at>#<sku>#<version, 16 digits>`, so a store's movements sort by time. */
  sk: 'sk',
  /** `<store>#<sku>`, only on movements: the key of the per-SKU history index. */
  historyKey: 'history_key',
  version: 'version',
  expiresAt: 'expires_at',
} as const;

export const SKU_HISTORY_INDEX = 'sku-history';

export const MOVEMENT_RETENTION_SECONDS = 35 * 24 * 3600;

export const storeMovementsKey = (storeId: string) => `store#${storeId}`;
export const historyKey = (storeId: string, sku: string) => `${storeId}#${sku}`;

export function movementSortKey(at: string, sku: string, version: number): string {
  return `${at}#${sku}#${String(version).padStart(16, '0')}`;
}

/**
 * Creates the movements table if it does not exist: on-demand, TTL on `expires_at`, and a sparse
 * index of each SKU's movements by version (only movements carry `history_key`). No stream: events
 * are the inventory table's.
 */
export async function ensureMovementTable(client: DynamoDBClient, inventoryTable: string): Promise<void> {
  await ensureTable(
    client,
    {
      TableName: movementTableName(inventoryTable),
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: MOVEMENT_ATTR.pk, AttributeType: 'S' },
        { AttributeName: MOVEMENT_ATTR.sk, AttributeType: 'S' },
        { AttributeName: MOVEMENT_ATTR.historyKey, AttributeType: 'S' },
        { AttributeName: MOVEMENT_ATTR.version, AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: MOVEMENT_ATTR.pk, KeyType: 'HASH' },
        { AttributeName: MOVEMENT_ATTR.sk, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: SKU_HISTORY_INDEX,
          KeySchema: [
            { AttributeName: MOVEMENT_ATTR.historyKey, KeyType: 'HASH' },
            { AttributeName: MOVEMENT_ATTR.version, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
    MOVEMENT_ATTR.expiresAt,
  );
}
