import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  QueryCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { NO_PROMISES, type PromiseState } from '@inventory/domain/model';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { MOVEMENT_ATTR, movementTableName } from './movement-table';

/**
 * A SKU's promise record (libs/stock/README.md#promises): its reserved, incoming and safety-stock
 * units, in the movements table under `promise#<store>` / `<sku>`, apart from the SKU's item
 * because a storm rewrites items whole. Only ever changed in a transaction conditional on the
 * item's version (which it bumps), so the item's version orders the record's changes too. No TTL:
 * a record lives as long as its SKU has anything promised.
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

/** The record's new state, as an action of the change's transaction (a record promising nothing is deleted). */
export function promiseRecordWrite(inventoryTable: string, storeId: string, sku: string, state: PromiseState): TransactWriteItem {
  const TableName = movementTableName(inventoryTable);
  if (FIELDS.every((field) => state[field] === 0)) return { Delete: { TableName, Key: promiseKey(storeId, sku) } };
  const Item: Record<string, AttributeValue> = { ...promiseKey(storeId, sku) };
  for (const field of FIELDS) Item[field] = { N: String(state[field]) };
  return { Put: { TableName, Item } };
}

const keyOf = (storeId: string, sku: string) => `${storeId}\n${sku}`;

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
    const promises = new Map<string, PromiseState>();
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
      for (const raw of page.Items ?? []) promises.set(raw[MOVEMENT_ATTR.sk]?.S ?? '', toPromiseState(raw));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return promises;
  }

  /** The records of up to 100 (store, SKU) pairs; a pair without one promises nothing. */
  async ofKeys(keys: Array<{ storeId: string; sku: string }>): Promise<(storeId: string, sku: string) => PromiseState> {
    const found = new Map<string, PromiseState>();
    let pending: Array<Record<string, AttributeValue>> = keys.map(({ storeId, sku }) => promiseKey(storeId, sku));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 10) throw new Error(`${pending.length} promise records still unprocessed after 10 attempts`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 20 * 2 ** attempt)));
      const result = await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(new BatchGetItemCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }), {
          abortSignal,
        }),
      );
      for (const raw of result.Responses?.[this.table] ?? []) {
        const storeId = (raw[MOVEMENT_ATTR.pk]?.S ?? '').slice('promise#'.length);
        found.set(keyOf(storeId, raw[MOVEMENT_ATTR.sk]?.S ?? ''), toPromiseState(raw));
      }
      pending = result.UnprocessedKeys?.[this.table]?.Keys ?? [];
    }
    return (storeId, sku) => found.get(keyOf(storeId, sku)) ?? NO_PROMISES;
  }
}
