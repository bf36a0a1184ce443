import { type AttributeValue, type DynamoDBClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { StockMovement } from '@inventory/domain/model';
import { DEFAULT_DYNAMODB_TIMEOUT_MS } from './dynamodb-client';
import { withDeadline } from './dynamodb-unavailable';
import { decodeMovementCursor, encodeMovementCursor } from './movement-cursor';
import { type RecordedChange, toMovement, toRecordedChange } from './movement-item';
import { historyKey, MOVEMENT_ATTR, movementTableName, SKU_HISTORY_INDEX, storeMovementsKey } from './movement-table';

export interface MovementPage {
  movements: StockMovement[];
  next_cursor: string | null;
}

/** Movement history (SPEC §9): a SKU's newest first, a store's oldest first from a time. */
export class MovementHistoryRepository {
  private readonly movementTable: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: DynamoDBClient,
    inventoryTable: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.movementTable = movementTableName(inventoryTable);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DYNAMODB_TIMEOUT_MS;
  }

  /** A SKU's movements, newest first, from its history index (which trails writes by milliseconds). */
  async skuMovements(storeId: string, sku: string, limit: number, cursor?: string): Promise<MovementPage> {
    const scope = `sku:${storeId}/${sku}`;
    const position = cursor === undefined ? undefined : decodeMovementCursor(cursor, scope);
    return this.page(scope, limit, {
      IndexName: SKU_HISTORY_INDEX,
      KeyConditionExpression: '#history = :history',
      ExpressionAttributeNames: { '#history': MOVEMENT_ATTR.historyKey },
      ExpressionAttributeValues: { ':history': { S: historyKey(storeId, sku) } },
      ScanIndexForward: false,
      ExclusiveStartKey: position && {
        [MOVEMENT_ATTR.pk]: { S: storeMovementsKey(storeId) },
        [MOVEMENT_ATTR.sk]: { S: position.sortKey },
        [MOVEMENT_ATTR.historyKey]: { S: historyKey(storeId, position.sku) },
        [MOVEMENT_ATTR.version]: { N: String(position.version) },
      },
    });
  }

  /** A store's movements from `since` (inclusive, RFC 3339 with ms), oldest first, strongly consistent. */
  async storeMovements(storeId: string, since: string, limit: number, cursor?: string): Promise<MovementPage> {
    const scope = `store:${storeId}`;
    const position = cursor === undefined ? undefined : decodeMovementCursor(cursor, scope);
    return this.page(scope, limit, {
      KeyConditionExpression: '#pk = :pk AND #sk >= :since',
      ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk, '#sk': MOVEMENT_ATTR.sk },
      ExpressionAttributeValues: { ':pk': { S: storeMovementsKey(storeId) }, ':since': { S: since } },
      ConsistentRead: true,
      ExclusiveStartKey: position && {
        [MOVEMENT_ATTR.pk]: { S: storeMovementsKey(storeId) },
        [MOVEMENT_ATTR.sk]: { S: position.sortKey },
      },
    });
  }

  /**
   * Every change recorded for a store from `since` (inclusive), strongly consistent, so a change whose write finished before this call is in it. What a storm
   * reads to keep the changes made after its count.
   */
  async changesSince(storeId: string, since: string): Promise<RecordedChange[]> {
    const changes: RecordedChange[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const result = await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(
          new QueryCommand({
            TableName: this.movementTable,
            KeyConditionExpression: '#pk = :pk AND #sk >= :since',
            ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk, '#sk': MOVEMENT_ATTR.sk },
            ExpressionAttributeValues: { ':pk': { S: storeMovementsKey(storeId) }, ':since': { S: since } },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
          { abortSignal },
        ),
      );
      for (const raw of result.Items ?? []) changes.push(toRecordedChange(raw));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return changes;
  }

  /** One page: asks for one item more than shown, so a cursor is given only when more follow. */
  private async page(scope: string, limit: number, query: Omit<QueryCommandInput, 'TableName' | 'Limit'>): Promise<MovementPage> {
    const items: Array<Record<string, AttributeValue>> = [];
    let startKey = query.ExclusiveStartKey;
    do {
      const result = await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(
          new QueryCommand({ ...query, TableName: this.movementTable, Limit: limit + 1 - items.length, ExclusiveStartKey: startKey }),
          { abortSignal },
        ),
      );
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey && items.length <= limit);
    const shown = items.slice(0, limit);
    const last = shown.at(-1);
    const more = items.length > limit && last;
    return {
      movements: shown.map(toMovement),
      next_cursor: more ? encodeMovementCursor(scope, last[MOVEMENT_ATTR.sk]?.S ?? '') : null,
    };
  }
}
