import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { MOVEMENT_ATTR, movementTableName } from '@inventory/stock/movements';

/** How long a key's record answers repeats; TTL deletes it some time after. */
export const IDEMPOTENCY_RETENTION_SECONDS = 24 * 3600;
/** A record's key in the movements table: a partition of its own, one item per key. */
const recordKey = (key: string) => ({ [MOVEMENT_ATTR.pk]: { S: `idem#${key}` }, [MOVEMENT_ATTR.sk]: { S: 'record' } });

/** The answer a keyed request gave, kept with the key for 24 h so a repeat gets it again. */
export interface IdempotencyRecord {
  key: string;
  /** SHA-256 of the route and the validated request: the same key with another request is refused. */
  requestHash: string;
  /** The answer's JSON, as sent. */
  answer: string;
}

/** Another request has already recorded this idempotency key. */
export class IdempotencyKeyTakenError extends Error {
  constructor() {
    super('idempotency key already recorded');
    this.name = 'IdempotencyKeyTakenError';
  }
}

/**
 * The put of a key's record, refused while an unexpired record holds the key: an action of the
 * write's own transaction, so a change is never without its key nor a key without its change.
 */
export function idempotencyRecordPut(inventoryTable: string, record: IdempotencyRecord, epochSeconds: number): TransactWriteItem {
  return {
    Put: {
      TableName: movementTableName(inventoryTable),
      Item: {
        ...recordKey(record.key),
        request_hash: { S: record.requestHash },
        answer: { S: record.answer },
        [MOVEMENT_ATTR.expiresAt]: { N: String(epochSeconds + IDEMPOTENCY_RETENTION_SECONDS) },
      },
      // An expired record TTL has not deleted yet is free to take again.
      ConditionExpression: 'attribute_not_exists(#pk) OR #expires <= :now',
      ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk, '#expires': MOVEMENT_ATTR.expiresAt },
      ExpressionAttributeValues: { ':now': { N: String(epochSeconds) } },
    },
  };
}

/** The idempotency records, in the movements table beside the movements they answered for. */
export class IdempotencyRecords {
  private readonly timeoutMs: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly inventoryTable: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DYNAMODB_TIMEOUT_MS;
  }

  /** The record of a key, unless there is none or it has expired (TTL deletes late). Strongly consistent. */
  async read(key: string, now = new Date()): Promise<IdempotencyRecord | undefined> {
    const result = await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(
        new GetItemCommand({ TableName: movementTableName(this.inventoryTable), Key: recordKey(key), ConsistentRead: true }),
        { abortSignal },
      ),
    );
    const item = result.Item;
    if (!item || Number(item[MOVEMENT_ATTR.expiresAt]?.N ?? 0) <= now.getTime() / 1000) return undefined;
    return { key, requestHash: item['request_hash']?.S ?? '', answer: item['answer']?.S ?? '' };
  }

  /** Records a keyed request's answer on its own (a batch's, once every row is decided); IdempotencyKeyTakenError if held. */
  async recordAnswer(record: IdempotencyRecord, at = new Date()): Promise<void> {
    const { Put } = idempotencyRecordPut(this.inventoryTable, record, Math.floor(at.getTime() / 1000));
    try {
      await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(new PutItemCommand(Put as PutItemCommandInput), { abortSignal }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new IdempotencyKeyTakenError();
      throw error;
    }
  }
}
