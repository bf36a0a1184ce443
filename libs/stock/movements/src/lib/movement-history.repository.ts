import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { MovementKind, StockMovement } from '@inventory/domain/model';
import { batchGetItems, DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { batchNoticeChanges, batchNoticeMovements, isBatchNotice } from './batch-change-notice';
import { decodeSkuCursor, decodeStoreCursor, encodeSkuCursor, encodeStoreCursor } from './movement-cursor';
import { movementItem, movementKindOf, type RecordedChange, stormRecordedChange, toMovement, toRecordedChange } from './movement-item';
import { historyKey, MOVEMENT_ATTR, movementSortKey, movementTableName, SKU_HISTORY_INDEX, storeMovementsKey } from './movement-table';
import {
  isStormChunk,
  stormChunkBucket,
  stormChunkHistoryKey,
  stormChunkMovementOf,
  stormChunkMovements,
  stormChunkProjectionOf,
  stormChunkUpdates,
} from './storm-movement-chunk';

const keyOf = (storeId: string, sku: string, version: number) => `${storeId}\n${sku}\n${version}`;

export interface MovementPage {
  movements: StockMovement[];
  next_cursor: string | null;
}

/** A movement found for a retention gap's replay: set or adjust, and whether the movements table holds it as a movement yet. */
export interface GapMovement {
  movement: StockMovement;
  kind: MovementKind;
  recorded: boolean;
}

/** A stretch of a store's movements: by their time, from and through (RFC 3339 with ms); a storm's from `stormFrom`. */
export interface GapWindow {
  from: string;
  through: string;
  /** A storm's movements are dated at its count and written up to its longest run later. */
  stormFrom: string;
}

/** A store's movements (and storm chunks) from a sort key on (up to one, both inclusive), strongly consistent. */
function storeListingFrom(storeId: string, from: string, through?: string) {
  return {
    KeyConditionExpression: through === undefined ? '#pk = :pk AND #sk >= :from' : '#pk = :pk AND #sk BETWEEN :from AND :through',
    ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk, '#sk': MOVEMENT_ATTR.sk },
    ExpressionAttributeValues: {
      ':pk': { S: storeMovementsKey(storeId) },
      ':from': { S: from },
      ...(through === undefined ? {} : { ':through': { S: through } }),
    },
    ConsistentRead: true,
  };
}

/**
 * The movements table's movements: history read (a SKU's newest first, a store's oldest first from
 * a time), a movement looked up or recorded by the events consumer, a storm's movements in chunks.
 */
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

  /**
   * The movement records of many changes (the events consumer's page), 100 a BatchGetItem,
   * strongly consistent, keys DynamoDB hands back unprocessed asked again; found by store, SKU and version.
   */
  async movementsOf(
    changes: Array<{ storeId: string; sku: string; version: number; at: string }>,
  ): Promise<(storeId: string, sku: string, version: number) => StockMovement | undefined> {
    const items = await batchGetItems(
      this.client,
      this.movementTable,
      changes.map(({ storeId, sku, version, at }) => ({
        [MOVEMENT_ATTR.pk]: { S: storeMovementsKey(storeId) },
        [MOVEMENT_ATTR.sk]: { S: movementSortKey(at, sku, version) },
      })),
      this.timeoutMs,
    );
    const found = new Map(items.map(toMovement).map((movement) => [keyOf(movement.store_id, movement.sku, movement.version), movement]));
    return (storeId, sku, version) => found.get(keyOf(storeId, sku, version));
  }

  /** Records a movement its change did not write itself (a batch row's): the same record again is a no-op. */
  async recordMovement(movement: StockMovement, kind: MovementKind): Promise<void> {
    await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(new PutItemCommand({ TableName: this.movementTable, Item: movementItem(movement, kind) }), { abortSignal }),
    );
  }

  /**
   * Records a storm's movements of one store in its compact chunks (storm-movement-chunk.ts). Put
   * after the items they describe: a job killed in between leaves items whose movement a retry
   * records again from the item (`storm_movement`), never a movement without its change; recording
   * one again rewrites the same attribute, never a second movement.
   */
  async recordStormMovements(stormId: string, movements: StockMovement[]): Promise<void> {
    for (const update of stormChunkUpdates(this.movementTable, stormId, movements)) {
      await withDeadline(this.timeoutMs, (abortSignal) => this.client.send(new UpdateItemCommand(update), { abortSignal }));
    }
  }

  /**
   * A SKU's movements, newest first: its own from the history index (which trails writes by
   * milliseconds) merged by version with its storm movements, found in its bucket's storm chunks.
   */
  async skuMovements(storeId: string, sku: string, limit: number, cursor?: string): Promise<MovementPage> {
    const scope = `sku:${storeId}/${sku}`;
    const before = cursor === undefined ? undefined : decodeSkuCursor(cursor, scope);
    const byIndex = (key: string, upTo: number, olderThan?: number, projection?: ReturnType<typeof stormChunkProjectionOf>) =>
      this.queryItems(
        {
          IndexName: SKU_HISTORY_INDEX,
          KeyConditionExpression: olderThan === undefined ? '#history = :history' : '#history = :history AND #version < :before',
          ProjectionExpression: projection?.ProjectionExpression,
          ExpressionAttributeNames: {
            '#history': MOVEMENT_ATTR.historyKey,
            ...(olderThan === undefined ? {} : { '#version': MOVEMENT_ATTR.version }),
            ...projection?.ExpressionAttributeNames,
          },
          ExpressionAttributeValues: {
            ':history': { S: key },
            ...(olderThan === undefined ? {} : { ':before': { N: String(olderThan) } }),
          },
          ScanIndexForward: false,
        },
        upTo,
      );
    const [own, chunks] = await Promise.all([
      byIndex(historyKey(storeId, sku), limit + 1, before),
      // A storm a week: a few chunks per bucket in 35 days, all read, each for this SKU's attribute only.
      byIndex(stormChunkHistoryKey(storeId, stormChunkBucket(sku)), Number.POSITIVE_INFINITY, undefined, stormChunkProjectionOf(sku)),
    ]);
    const storm = chunks
      .map((chunk) => stormChunkMovementOf(chunk, sku))
      .filter((movement): movement is StockMovement => movement !== undefined && (before === undefined || movement.version < before));
    // `own` holds the newest limit + 1 of its kind and `storm` all of its kind: their merge's first limit + 1 are the listing's.
    const merged = [...own.map(toMovement), ...storm].sort((a, b) => b.version - a.version);
    const shown = merged.slice(0, limit);
    const last = shown.at(-1);
    return { movements: shown, next_cursor: merged.length > limit && last ? encodeSkuCursor(scope, last.version) : null };
  }

  /**
   * A store's movements from `since` (inclusive, RFC 3339 with ms), oldest first, strongly
   * consistent; a storm chunk's movements in SKU order at the storm's count time.
   */
  async storeMovements(storeId: string, since: string, limit: number, cursor?: string): Promise<MovementPage> {
    const scope = `store:${storeId}`;
    const position = cursor === undefined ? undefined : decodeStoreCursor(cursor, scope);
    const from = position?.sortKey ?? since;
    const shown: StockMovement[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const result = await this.query({
        ...storeListingFrom(storeId, from),
        Limit: limit + 1,
        ExclusiveStartKey: startKey,
      });
      for (const raw of result.Items ?? []) {
        const sortKey = raw[MOVEMENT_ATTR.sk]?.S ?? '';
        // A batch's notice is not a movement: its rows' movements are recorded from the stream.
        if (isBatchNotice(raw)) continue;
        const movements = isStormChunk(raw) ? stormChunkMovements(raw) : [toMovement(raw)];
        for (let i = sortKey === position?.sortKey ? position.shown : 0; i < movements.length; i += 1) {
          if (shown.length === limit) return { movements: shown, next_cursor: encodeStoreCursor(scope, { sortKey, shown: i }) };
          shown.push(movements[i] as StockMovement);
        }
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return { movements: shown, next_cursor: null };
  }

  /**
   * Every change made to a store from `since` (through `through`, both inclusive sort keys), strongly consistent, so a change whose
   * write finished before this call is in it, whichever path made it: what a storm reads to keep
   * the changes made after its count. An all-or-none batch's rows come from its notice (the same
   * row again once the consumer has recorded its movement: same `sortKey`, counted once by the reader).
   */
  async changesSince(storeId: string, since: string, through?: string): Promise<RecordedChange[]> {
    const items = await this.queryItems(storeListingFrom(storeId, since, through), Number.POSITIVE_INFINITY);
    return items.flatMap((raw) => {
      if (isStormChunk(raw)) return stormChunkMovements(raw).map((movement) => stormRecordedChange(raw, movement));
      if (isBatchNotice(raw)) return batchNoticeChanges(raw);
      return [toRecordedChange(raw)];
    });
  }

  /**
   * A store's movements of a window, a query page at a time (each SKU's in version order within a
   * page): what the events consumer replays when the stream dropped their records
   * (libs/events/README.md#retention). Storm chunks count from `stormFrom`; a batch's rows are
   * rebuilt from its notice, once per page with the movement the consumer recorded of them (the
   * same movement either way: same id, same events).
   */
  async *gapMovements(storeId: string, window: GapWindow): AsyncGenerator<GapMovement[]> {
    // `~` sorts after `#`: every sort key of the last millisecond is below it.
    const listing = storeListingFrom(storeId, window.stormFrom, `${window.through}~`);
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const result = await this.query({ ...listing, ExclusiveStartKey: startKey });
      const found = new Map<string, GapMovement>();
      for (const raw of result.Items ?? []) {
        const inWindow = (raw[MOVEMENT_ATTR.sk]?.S ?? '') >= window.from;
        const movements: GapMovement[] = isStormChunk(raw)
          ? stormChunkMovements(raw).map((movement) => ({ movement, kind: 'set', recorded: true }))
          : !inWindow
            ? []
            : isBatchNotice(raw)
              ? batchNoticeMovements(raw).map(({ movement, kind }) => ({ movement, kind, recorded: false }))
              : [{ movement: toMovement(raw), kind: movementKindOf(raw), recorded: true }];
        for (const gap of movements) {
          const key = keyOf(gap.movement.store_id, gap.movement.sku, gap.movement.version);
          if (!found.get(key)?.recorded) found.set(key, gap);
        }
      }
      yield [...found.values()].sort((a, b) =>
        a.movement.sku === b.movement.sku ? a.movement.version - b.movement.version : a.movement.sku < b.movement.sku ? -1 : 1,
      );
      startKey = result.LastEvaluatedKey;
    } while (startKey);
  }

  private query(input: Omit<QueryCommandInput, 'TableName'>): Promise<QueryCommandOutput> {
    return withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(new QueryCommand({ ...input, TableName: this.movementTable }), { abortSignal }),
    );
  }

  /** Up to `upTo` items of a query, in its order. */
  private async queryItems(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit'>,
    upTo: number,
  ): Promise<Array<Record<string, AttributeValue>>> {
    const items: Array<Record<string, AttributeValue>> = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const result = await this.query({
        ...input,
        ...(Number.isFinite(upTo) ? { Limit: upTo - items.length } : {}),
        ExclusiveStartKey: startKey,
      });
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey && items.length < upTo);
    return items;
  }
}
