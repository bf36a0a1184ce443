import { type AttributeValue, type DynamoDBClient, QueryCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { NO_PROMISES, type PromiseAround, type PromiseState, type StockMovement } from '@inventory/domain/model';
import { batchGetItems, DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { toMovement } from './movement-item';
import { historyKey, MOVEMENT_ATTR, MOVEMENT_RETENTION_SECONDS, movementTableName, SKU_HISTORY_INDEX } from './movement-table';

/**
 * A SKU's promise record (libs/stock/README.md#promises): its reserved, incoming and safety-stock
 * units, in the movements table under `promise#<store>` / `<sku>`, apart from the SKU's item
 * because a storm rewrites items whole. Only ever changed in a transaction conditional on the
 * item's version (which it bumps), so the item's version orders the record's changes too, and the
 * record keeps the version of its last change. A record promising nothing is kept, with the movements'
 * lifetime, so the events consumer can still tell what an older movement's SKU promised (`around`);
 * one promising anything lives as long as it does.
 */
const promiseKey = (storeId: string, sku: string) => ({ [MOVEMENT_ATTR.pk]: { S: `promise#${storeId}` }, [MOVEMENT_ATTR.sk]: { S: sku } });
const FIELDS = ['reserved', 'incoming', 'safety_stock'] as const;

function toPromiseState(raw: Record<string, AttributeValue> | undefined): PromiseState {
  if (!raw) return NO_PROMISES;
  return {
    reserved: Number(raw['reserved']?.N ?? 0),
    incoming: Number(raw['incoming']?.N ?? 0),
    safety_stock: Number(raw['safety_stock']?.N ?? 0),
  };
}

/** The record's new state at the item's `version`, as an action of the change's transaction. */
export function promiseRecordWrite(
  inventoryTable: string,
  storeId: string,
  sku: string,
  state: PromiseState,
  version: number,
  at: Date,
): TransactWriteItem {
  const Item: Record<string, AttributeValue> = { ...promiseKey(storeId, sku), [MOVEMENT_ATTR.version]: { N: String(version) } };
  for (const field of FIELDS) Item[field] = { N: String(state[field]) };
  if (FIELDS.every((field) => state[field] === 0))
    Item[MOVEMENT_ATTR.expiresAt] = { N: String(Math.floor(at.getTime() / 1000) + MOVEMENT_RETENTION_SECONDS) };
  return { Put: { TableName: movementTableName(inventoryTable), Item } };
}

/** A promise's movement says what it changed; any other changed no promise. */
function carried(movement: StockMovement): PromiseAround | undefined {
  if (movement.reserved_before === undefined) return undefined;
  return {
    before: {
      reserved: movement.reserved_before,
      incoming: movement.incoming_before ?? 0,
      safety_stock: movement.safety_stock_before ?? movement.safety_stock ?? 0,
    },
    after: { reserved: movement.reserved_after ?? 0, incoming: movement.incoming_after ?? 0, safety_stock: movement.safety_stock ?? 0 },
  };
}

const keyOf = (storeId: string, sku: string) => `${storeId}\n${sku}`;
const same = (state: PromiseState): PromiseAround => ({ before: state, after: state });

/** Reads promise records, strongly consistent: what the reads add to items and what a promise is decided on. */
export class PromiseRecords {
  private readonly table: string;

  constructor(
    private readonly client: DynamoDBClient,
    inventoryTable: string,
    private readonly timeoutMs = DEFAULT_DYNAMODB_TIMEOUT_MS,
  ) {
    this.table = movementTableName(inventoryTable);
  }

  /** A store's records with SKUs from `from` to `to` (inclusive; absent: all), by SKU. Sparse: only SKUs with promises. */
  async ofStore(storeId: string, range?: { from: string; to: string }, signal?: AbortSignal): Promise<Map<string, PromiseState>> {
    const records = await this.versionedOfStore(storeId, range, signal);
    return new Map([...records].map(([sku, { state }]) => [sku, state]));
  }

  /**
   * What each movement's SKU promised around it, for the events consumer, whichever order it reads
   * them in: a promise's movement says so itself; for any other at version v, the SKU's promises
   * were those of its last promise change before v — the record's, if that change is the record's
   * last (at or before v); else the state before the first promise change after v, found in the page
   * or in the SKU's history. One query per store of the page, one more per SKU whose promises changed since.
   */
  async around(movements: StockMovement[]): Promise<PromiseAround[]> {
    const byStore = new Map<string, { from: string; to: string }>();
    for (const movement of movements) {
      if (carried(movement)) continue;
      const range = byStore.get(movement.store_id);
      byStore.set(
        movement.store_id,
        range
          ? { from: movement.sku < range.from ? movement.sku : range.from, to: movement.sku > range.to ? movement.sku : range.to }
          : { from: movement.sku, to: movement.sku },
      );
    }
    const records = new Map<string, { state: PromiseState; version: number }>();
    for (const [storeId, range] of byStore)
      for (const [sku, record] of await this.versionedOfStore(storeId, range)) records.set(keyOf(storeId, sku), record);
    return Promise.all(
      movements.map(async (movement) => {
        const own = carried(movement);
        if (own) return own;
        const record = records.get(keyOf(movement.store_id, movement.sku));
        if (!record || record.version <= movement.version) return same(record?.state ?? NO_PROMISES);
        // A later promise change in the page itself (a SKU's changes come in order, none left out) says what came before it.
        const next = movements
          .filter((other) => other.store_id === movement.store_id && other.sku === movement.sku && other.version > movement.version)
          .map((other) => ({ version: other.version, around: carried(other) }))
          .filter((other) => other.around !== undefined)
          .sort((a, b) => a.version - b.version)[0];
        return same(next?.around?.before ?? (await this.before(movement, record.version)) ?? record.state);
      }),
    );
  }

  /** The promises before the SKU's first promise change after `movement` (up to `through`), from its history index. */
  private async before(movement: StockMovement, through: number): Promise<PromiseState | undefined> {
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: SKU_HISTORY_INDEX,
            KeyConditionExpression: '#history = :history AND #version BETWEEN :after AND :through',
            FilterExpression: 'attribute_exists(reserved_before)',
            ExpressionAttributeNames: { '#history': MOVEMENT_ATTR.historyKey, '#version': MOVEMENT_ATTR.version },
            ExpressionAttributeValues: {
              ':history': { S: historyKey(movement.store_id, movement.sku) },
              ':after': { N: String(movement.version + 1) },
              ':through': { N: String(through) },
            },
            ExclusiveStartKey: startKey,
          }),
          { abortSignal },
        ),
      );
      const first = page.Items?.[0];
      if (first) return carried(toMovement(first))?.before;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // The index trails writes by milliseconds: a change not in it yet leaves the record's own state, the nearest known.
    return undefined;
  }

  private async versionedOfStore(
    storeId: string,
    range?: { from: string; to: string },
    signal?: AbortSignal,
  ): Promise<Map<string, { state: PromiseState; version: number }>> {
    const promises = new Map<string, { state: PromiseState; version: number }>();
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await withDeadline(
        this.timeoutMs,
        (abortSignal) =>
          this.client.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: range ? '#pk = :pk AND #sk BETWEEN :from AND :to' : '#pk = :pk',
              ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk, ...(range ? { '#sk': MOVEMENT_ATTR.sk } : {}) },
              ExpressionAttributeValues: {
                ':pk': { S: `promise#${storeId}` },
                ...(range ? { ':from': { S: range.from }, ':to': { S: range.to } } : {}),
              },
              ConsistentRead: true,
              ExclusiveStartKey: startKey,
            }),
            { abortSignal },
          ),
        signal,
      );
      for (const raw of page.Items ?? [])
        promises.set(raw[MOVEMENT_ATTR.sk]?.S ?? '', { state: toPromiseState(raw), version: Number(raw[MOVEMENT_ATTR.version]?.N ?? 0) });
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return promises;
  }

  /** The records of (store, SKU) pairs; a pair without one promises nothing. */
  async ofKeys(keys: Array<{ storeId: string; sku: string }>): Promise<(storeId: string, sku: string) => PromiseState> {
    const found = new Map<string, PromiseState>();
    const items = await batchGetItems(
      this.client,
      this.table,
      keys.map(({ storeId, sku }) => promiseKey(storeId, sku)),
      this.timeoutMs,
    );
    for (const raw of items) {
      const storeId = (raw[MOVEMENT_ATTR.pk]?.S ?? '').slice('promise#'.length);
      found.set(keyOf(storeId, raw[MOVEMENT_ATTR.sk]?.S ?? ''), toPromiseState(raw));
    }
    return (storeId, sku) => found.get(keyOf(storeId, sku)) ?? NO_PROMISES;
  }
}
