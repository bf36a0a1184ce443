import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { MovementKind, SkuState, StockMovement } from '@inventory/domain/model';
import { ATTR } from './inventory-table';
import { DEFAULT_DYNAMODB_TIMEOUT_MS } from './dynamodb-client';
import { withDeadline } from './dynamodb-unavailable';
import { IDEMPOTENCY_RETENTION_SECONDS, IDEMPOTENCY_SK, idempotencyRecordKey, MOVEMENT_ATTR, movementTableName } from './movement-table';
import { movementItem } from './movement-item';

/** The answer a keyed request gave, kept with the key for 24 h so a repeat gets it again. */
export interface IdempotencyRecord {
  key: string;
  /** SHA-256 of the route and the validated request: the same key with another request is refused. */
  requestHash: string;
  /** The answer's JSON, as sent. */
  answer: string;
}

/** One stock write, decided against the state it expects to find. */
export interface StockWrite {
  /** What the writer read: the write lands only if the item still holds exactly this version. */
  expected: SkuState;
  movement: StockMovement;
  kind: MovementKind;
  /** The item's `updated_at` after the write (RFC 3339, seconds, as the original printed it). */
  updatedAt: string;
  idempotency?: IdempotencyRecord;
}

/** The item no longer holds the expected version: `current` is what it holds (read atomically). */
export class StaleStateError extends Error {
  constructor(readonly current: SkuState) {
    super(`item is at version ${current.version}`);
    this.name = 'StaleStateError';
  }
}

/** Another request has already recorded this idempotency key. */
export class IdempotencyKeyTakenError extends Error {
  constructor() {
    super('idempotency key already recorded');
    this.name = 'IdempotencyKeyTakenError';
  }
}

/** DynamoDB refused the transaction because another one touched the same item at the same time. */
export class TransactionConflictError extends Error {
  constructor() {
    super('transaction conflict');
    this.name = 'TransactionConflictError';
  }
}

function toSkuState(storeId: string, sku: string, raw: Record<string, AttributeValue> | undefined): SkuState {
  if (!raw) return { store_id: storeId, sku, quantity: 0, version: 0 };
  return {
    store_id: storeId,
    sku,
    quantity: Number(raw[ATTR.quantity]?.N ?? 0),
    version: Number(raw[ATTR.version]?.N ?? 0),
    updated_at: raw[ATTR.updatedAt]?.S,
  };
}

/**
 * Stock writes as movements: the item's change, its movement record and (for a keyed request) the
 * idempotency record, in one `TransactWriteItems`, conditional on the version the writer read. So a
 * change is never without its record, nor a key without its change (SPEC §9), and the record's
 * `quantity_before` is exactly what the change replaced.
 */
export class StockWriteRepository {
  readonly movementTable: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.movementTable = movementTableName(tableName);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DYNAMODB_TIMEOUT_MS;
  }

  /** One SKU's state, strongly consistent; an unknown SKU is 0 at version 0. */
  async readState(storeId: string, sku: string): Promise<SkuState> {
    const result = await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [ATTR.storeId]: { S: storeId }, [ATTR.sku]: { S: sku } },
          ProjectionExpression: '#quantity, #version, #updated',
          ExpressionAttributeNames: { '#quantity': ATTR.quantity, '#version': ATTR.version, '#updated': ATTR.updatedAt },
          ConsistentRead: true,
        }),
        { abortSignal },
      ),
    );
    return toSkuState(storeId, sku, result.Item);
  }

  /** The record of an idempotency key, unless there is none or it has expired (TTL deletes late). */
  async readIdempotencyRecord(key: string, now = new Date()): Promise<IdempotencyRecord | undefined> {
    const result = await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(
        new GetItemCommand({
          TableName: this.movementTable,
          Key: { [MOVEMENT_ATTR.pk]: { S: idempotencyRecordKey(key) }, [MOVEMENT_ATTR.sk]: { S: IDEMPOTENCY_SK } },
          ConsistentRead: true,
        }),
        { abortSignal },
      ),
    );
    const item = result.Item;
    if (!item || Number(item[MOVEMENT_ATTR.expiresAt]?.N ?? 0) <= now.getTime() / 1000) return undefined;
    return { key, requestHash: item['request_hash']?.S ?? '', answer: item['answer']?.S ?? '' };
  }

  /**
   * Applies the write, or rejects: StaleStateError (another write came first), IdempotencyKeyTakenError,
   * TransactionConflictError (retry), or the 503 of an unavailable DynamoDB (outcome unknown).
   */
  async commit(write: StockWrite): Promise<void> {
    const { expected, movement } = write;
    const epochSeconds = Math.floor(Date.parse(movement.at) / 1000);
    const items: TransactWriteItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: { [ATTR.storeId]: { S: movement.store_id }, [ATTR.sku]: { S: movement.sku } },
          // A live change invalidates the storm's content hash, so the next storm re-checks this SKU.
          UpdateExpression: 'SET #quantity = :quantity, #updated = :updated, #version = :version REMOVE #hash',
          ConditionExpression: expected.version === 0 ? 'attribute_not_exists(#version)' : '#version = :expected',
          ExpressionAttributeNames: {
            '#quantity': ATTR.quantity,
            '#updated': ATTR.updatedAt,
            '#version': ATTR.version,
            '#hash': ATTR.contentHash,
          },
          ExpressionAttributeValues: {
            ':quantity': { N: String(movement.quantity_after) },
            ':updated': { S: write.updatedAt },
            ':version': { N: String(movement.version) },
            ...(expected.version === 0 ? {} : { ':expected': { N: String(expected.version) } }),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Put: {
          TableName: this.movementTable,
          Item: movementItem(movement, write.kind),
        },
      },
    ];
    if (write.idempotency) {
      items.push({
        Put: {
          TableName: this.movementTable,
          Item: {
            [MOVEMENT_ATTR.pk]: { S: idempotencyRecordKey(write.idempotency.key) },
            [MOVEMENT_ATTR.sk]: { S: IDEMPOTENCY_SK },
            request_hash: { S: write.idempotency.requestHash },
            answer: { S: write.idempotency.answer },
            [MOVEMENT_ATTR.expiresAt]: { N: String(epochSeconds + IDEMPOTENCY_RETENTION_SECONDS) },
          },
          // An expired record TTL has not deleted yet is free to take again.
          ConditionExpression: 'attribute_not_exists(#pk) OR #expires <= :now',
          ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk, '#expires': MOVEMENT_ATTR.expiresAt },
          ExpressionAttributeValues: { ':now': { N: String(epochSeconds) } },
        },
      });
    }
    try {
      await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(new TransactWriteItemsCommand({ TransactItems: items }), { abortSignal }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [item, , key] = error.CancellationReasons ?? [];
      if (key?.Code === 'ConditionalCheckFailed') throw new IdempotencyKeyTakenError();
      if (item?.Code === 'ConditionalCheckFailed') throw new StaleStateError(toSkuState(movement.store_id, movement.sku, item.Item));
      if (error.CancellationReasons?.some((reason) => reason.Code === 'TransactionConflict')) throw new TransactionConflictError();
      throw error;
    }
  }
}
