import { type AttributeValue, type DynamoDBClient, GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { MOVEMENT_ATTR, movementTableName } from './movement-table';

/** A reservation or transfer's record is kept this long after it ends (DynamoDB TTL), as its movements are. */
export const RETAINED_AFTER_END_SECONDS = 35 * 24 * 3600;

/**
 * Reservations and transfers as the movements table keeps them: one item each (`<kind>#<id>` /
 * `record`), the API's view as JSON beside the attributes that conditions compare. Read strongly
 * consistent; written only as an action of the transaction that changes the stock it promises.
 */
export class PromiseDocuments {
  readonly table: string;

  constructor(
    private readonly client: DynamoDBClient,
    inventoryTable: string,
    private readonly timeoutMs = DEFAULT_DYNAMODB_TIMEOUT_MS,
  ) {
    this.table = movementTableName(inventoryTable);
  }

  key(kind: string, id: string): Record<string, AttributeValue> {
    return { [MOVEMENT_ATTR.pk]: { S: `${kind}#${id}` }, [MOVEMENT_ATTR.sk]: { S: 'record' } };
  }

  /** The record's view and attributes; undefined when no such id was issued (or its record expired). */
  async read<View>(kind: string, id: string): Promise<{ view: View; raw: Record<string, AttributeValue> } | undefined> {
    const result = await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(new GetItemCommand({ TableName: this.table, Key: this.key(kind, id), ConsistentRead: true }), { abortSignal }),
    );
    return result.Item && { view: JSON.parse(result.Item['body']?.S ?? '{}') as View, raw: result.Item };
  }

  /**
   * The put of a record: new (`expected` undefined: the id is free) or replacing the one read
   * (`expected`: its attributes must still hold these values). `endedAt` (epoch ms) starts its TTL.
   */
  put(
    kind: string,
    id: string,
    view: unknown,
    attributes: Record<string, AttributeValue>,
    expected: Record<string, AttributeValue> | undefined,
    endedAt?: number,
  ): TransactWriteItem {
    const expectedNames = Object.keys(expected ?? {});
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...this.key(kind, id),
          ...attributes,
          body: { S: JSON.stringify(view) },
          ...(endedAt === undefined
            ? {}
            : { [MOVEMENT_ATTR.expiresAt]: { N: String(Math.floor(endedAt / 1000) + RETAINED_AFTER_END_SECONDS) } }),
        },
        ...(expected
          ? {
              ConditionExpression: expectedNames.map((_name, i) => `#c${i} = :c${i}`).join(' AND '),
              ExpressionAttributeNames: Object.fromEntries(expectedNames.map((name, i) => [`#c${i}`, name])),
              ExpressionAttributeValues: Object.fromEntries(expectedNames.map((name, i) => [`:c${i}`, expected[name] as AttributeValue])),
            }
          : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk } }),
      },
    };
  }
}
