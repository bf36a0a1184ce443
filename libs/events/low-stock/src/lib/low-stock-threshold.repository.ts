import { type AttributeValue, DeleteItemCommand, type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { MOVEMENT_ATTR, movementTableName } from '@inventory/stock/movements';

const thresholdsKey = (storeId: string) => `threshold#${storeId}`;
const LOW_STOCK_AT = 'low_stock_at';

/**
 * Low-stock thresholds (apps/README.md#events-and-webhooks), one item per SKU under its store's key in the movements table.
 * Not on the inventory item: a storm replaces whole items, and a threshold must outlive it.
 */
export class LowStockThresholdRepository {
  private readonly table: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: DynamoDBClient,
    inventoryTable: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.table = movementTableName(inventoryTable);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DYNAMODB_TIMEOUT_MS;
  }

  /** Sets the SKU's threshold, or with `null` removes it. */
  async set(storeId: string, sku: string, lowStockAt: number | null): Promise<void> {
    const Key = { [MOVEMENT_ATTR.pk]: { S: thresholdsKey(storeId) }, [MOVEMENT_ATTR.sk]: { S: sku } };
    await withDeadline(this.timeoutMs, (abortSignal) =>
      lowStockAt === null
        ? this.client.send(new DeleteItemCommand({ TableName: this.table, Key }), { abortSignal })
        : this.client.send(new PutItemCommand({ TableName: this.table, Item: { ...Key, [LOW_STOCK_AT]: { N: String(lowStockAt) } } }), {
            abortSignal,
          }),
    );
  }

  /** Every threshold of a store, by SKU (a store sets few: one Query page in practice). */
  async ofStore(storeId: string): Promise<Map<string, number>> {
    const thresholds = new Map<string, number>();
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk },
            ExpressionAttributeValues: { ':pk': { S: thresholdsKey(storeId) } },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
          { abortSignal },
        ),
      );
      for (const item of page.Items ?? []) thresholds.set(item[MOVEMENT_ATTR.sk]?.S ?? '', Number(item[LOW_STOCK_AT]?.N ?? 0));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return thresholds;
  }
}
