import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { MovementKind, SkuState, StockMovement } from '@inventory/domain/model';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { batchNoticePut, movementItem, movementTableName } from '@inventory/stock/movements';
import { type IdempotencyRecord, IdempotencyKeyTakenError, idempotencyRecordPut } from '@inventory/stock/idempotency';
import { ATTR } from './inventory-table';

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

/** A promise's own condition (its reservation still held, its transfer in transit) no longer holds: `action` is its index in `actions`. */
export class PromiseConditionError extends Error {
  constructor(readonly action: number) {
    super(`condition of action ${action} failed`);
    this.name = 'PromiseConditionError';
  }
}

/** A promise's change (apps/README.md#reservations-and-transfers): per SKU its item and movement, and the promise's own records. */
export interface PromiseCommit {
  /** Each an adjust (a delta of 0 when only promised units change), conditional on the version read. */
  writes: StockWrite[];
  /** Promise records, the reservation or transfer, its expiry entry: after the writes in the transaction. */
  actions: TransactWriteItem[];
  idempotency?: IdempotencyRecord;
  /** When it was decided (RFC 3339): the key's record is kept from then. */
  at: string;
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
 * change is never without its record, nor a key without its change, and the record's
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

  /**
   * A write's item update, conditional on the version its writer read: the new state, and where the
   * events consumer finds its movement — `movement_at` (the record's key: the write records it) or
   * `batch_movement` (the movement itself, for the consumer to record); the other is removed. A live
   * change also drops the storm's content hash, so the next storm re-checks this SKU.
   */
  private itemUpdate(
    { expected, movement, updatedAt }: StockWrite,
    movementAttribute: typeof ATTR.movementAt | typeof ATTR.batchMovement,
    movementValue: string,
  ): TransactWriteItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: { [ATTR.storeId]: { S: movement.store_id }, [ATTR.sku]: { S: movement.sku } },
        UpdateExpression: 'SET #quantity = :quantity, #updated = :updated, #version = :version, #movement = :movement REMOVE #hash, #other',
        ConditionExpression: expected.version === 0 ? 'attribute_not_exists(#version)' : '#version = :expected',
        ExpressionAttributeNames: {
          '#quantity': ATTR.quantity,
          '#updated': ATTR.updatedAt,
          '#version': ATTR.version,
          '#hash': ATTR.contentHash,
          '#movement': movementAttribute,
          '#other': movementAttribute === ATTR.movementAt ? ATTR.batchMovement : ATTR.movementAt,
        },
        ExpressionAttributeValues: {
          ':quantity': { N: String(movement.quantity_after) },
          ':updated': { S: updatedAt },
          ':version': { N: String(movement.version) },
          ':movement': { S: movementValue },
          ...(expected.version === 0 ? {} : { ':expected': { N: String(expected.version) } }),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /**
   * An all-or-none batch of one store (`reject_all`): every row's change, each conditional
   * on the version its writer read, the key's record and the batch's notice, in one transaction of
   * at most 100 actions. A row's movement rides on its item (`batch_movement`) and the events
   * consumer records it from the stream: a row and its record would take two actions, and 100 rows
   * would not fit. The notice (one action) is what a storm running meanwhile reads of the rows'
   * changes (libs/stock/README.md#batch-notices). Rejects as `commit` does; StaleStateError names
   * the first row found moved on.
   */
  async commitBatch(writes: StockWrite[], idempotency: IdempotencyRecord | undefined): Promise<void> {
    const items = writes.map((write) =>
      this.itemUpdate(write, ATTR.batchMovement, JSON.stringify({ ...write.movement, change: write.kind })),
    );
    const first = writes[0];
    if (!first) return;
    if (idempotency) items.push(idempotencyRecordPut(this.tableName, idempotency, Math.floor(Date.parse(first.movement.at) / 1000)));
    items.push(batchNoticePut(this.movementTable, writes));
    await this.transact(items, writes, { itemAt: (i) => i, keyAt: idempotency ? writes.length : undefined });
  }

  /**
   * A promise's change in one transaction: each SKU's item (version bumped, so the SKU's ledger
   * chains through it and the store's cached reads turn over) and movement — none when only the
   * promise's own records change (an extension) — the promise's records, the key's record. Rejects as `commit` does, or with PromiseConditionError naming the action
   * whose condition failed.
   */
  async commitPromise({ writes, actions, idempotency, at }: PromiseCommit): Promise<void> {
    const items = [...writes.flatMap((write) => this.recorded(write)), ...actions];
    if (idempotency) items.push(idempotencyRecordPut(this.tableName, idempotency, Math.floor(Date.parse(at) / 1000)));
    await this.transact(items, writes, {
      itemAt: (i) => 2 * i,
      keyAt: idempotency ? items.length - 1 : undefined,
      actions: { from: 2 * writes.length, count: actions.length },
    });
  }

  /**
   * Applies the write, or rejects: StaleStateError (another write came first), IdempotencyKeyTakenError,
   * TransactionConflictError (retry), or the 503 of an unavailable DynamoDB (outcome unknown).
   */
  async commit(write: StockWrite): Promise<void> {
    const epochSeconds = Math.floor(Date.parse(write.movement.at) / 1000);
    const items = this.recorded(write);
    if (write.idempotency) items.push(idempotencyRecordPut(this.tableName, write.idempotency, epochSeconds));
    await this.transact(items, [write], { itemAt: () => 0, keyAt: write.idempotency ? 2 : undefined });
  }

  /** A write's item change and its movement record: two actions. */
  private recorded(write: StockWrite): TransactWriteItem[] {
    return [
      this.itemUpdate(write, ATTR.movementAt, write.movement.at),
      { Put: { TableName: this.movementTable, Item: movementItem(write.movement, write.kind) } },
    ];
  }

  /**
   * Sends one transaction of `writes` (item `i` at action `itemAt(i)`), a key's record at `keyAt`
   * and promise `actions`, naming what refused it: IdempotencyKeyTakenError, StaleStateError (the
   * first item found moved on), PromiseConditionError, TransactionConflictError (retry).
   */
  private async transact(
    items: TransactWriteItem[],
    writes: StockWrite[],
    layout: { itemAt: (write: number) => number; keyAt?: number; actions?: { from: number; count: number } },
  ): Promise<void> {
    try {
      await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(new TransactWriteItemsCommand({ TransactItems: items }), { abortSignal }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
      if (layout.keyAt !== undefined && failed(layout.keyAt)) throw new IdempotencyKeyTakenError();
      const moved = writes.findIndex((_write, i) => failed(layout.itemAt(i)));
      if (moved >= 0) {
        const { store_id, sku } = writes[moved].movement;
        throw new StaleStateError(toSkuState(store_id, sku, reasons[layout.itemAt(moved)]?.Item));
      }
      const { from = 0, count = 0 } = layout.actions ?? {};
      const action = Array.from({ length: count }, (_, i) => i).find((i) => failed(from + i));
      if (action !== undefined) throw new PromiseConditionError(action);
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) throw new TransactionConflictError();
      throw error;
    }
  }
}
