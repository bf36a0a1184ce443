import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { backOff } from 'exponential-backoff';
import type { InventoryItem, StoredInventoryItem } from '@inventory/domain/model';
import { writeUnitsOf } from './write-units';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { ATTR } from './inventory-table';

/** DynamoDB's BatchWriteItem limit. */
export const BATCH_WRITE_LIMIT = 25;

export interface BatchWriteOptions {
  /** Attempts for a batch whose UnprocessedItems keep coming back (throttling). */
  maxAttempts?: number;
  startingDelayMs?: number;
  /** Waits, before each BatchWriteItem, until the write units it is about to consume may be spent (a store's pacing). */
  pace?: (writeUnits: number) => Promise<void>;
}

export class UnprocessedItemsError extends Error {
  constructor(readonly remaining: number) {
    super(`${remaining} items still unprocessed after retries`);
    this.name = 'UnprocessedItemsError';
  }
}

function toItem(raw: Record<string, AttributeValue>): InventoryItem {
  return {
    store_id: raw[ATTR.storeId]?.S ?? '',
    sku: raw[ATTR.sku]?.S ?? '',
    quantity: Number(raw[ATTR.quantity]?.N ?? 0),
    updated_at: raw[ATTR.updatedAt]?.S ?? '',
  };
}

/** Called per item of every storm write, so it assigns rather than spreads. */
function toAttributes(item: StoredInventoryItem): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {
    [ATTR.storeId]: { S: item.store_id },
    [ATTR.sku]: { S: item.sku },
    [ATTR.quantity]: { N: String(item.quantity) },
    [ATTR.updatedAt]: { S: item.updated_at },
    [ATTR.version]: { N: String(item.version) },
  };
  if (item.content_hash) attributes[ATTR.contentHash] = { S: item.content_hash };
  if (item.restock_storm) attributes[ATTR.restockStorm] = { S: item.restock_storm };
  if (item.storm_movement) attributes[ATTR.stormMovement] = { S: JSON.stringify(item.storm_movement) };
  return attributes;
}

/** An item as the one-SKU reads answer it: with its version (apps/README.md#http-contract). */
export interface VersionedItem extends InventoryItem {
  version: number;
}

/** What a Restock Storm needs to know of a stored SKU to decide whether to write it. */
export interface RestockState {
  version: number;
  quantity: number;
  content_hash?: string;
  restock_storm?: string;
  /**
   * The movement of the last storm's write (JSON), if a storm wrote the item last. Left unparsed:
   * every storm reads it for every item, and only a retried job needs it.
   */
  storm_movement_json?: string;
}

function toRestockState(raw: Record<string, AttributeValue>): RestockState {
  return {
    version: Number(raw[ATTR.version]?.N ?? 0),
    quantity: Number(raw[ATTR.quantity]?.N ?? 0),
    content_hash: raw[ATTR.contentHash]?.S,
    restock_storm: raw[ATTR.restockStorm]?.S,
    storm_movement_json: raw[ATTR.stormMovement]?.S,
  };
}

const ITEM_ATTRIBUTES = [ATTR.storeId, ATTR.sku, ATTR.quantity, ATTR.updatedAt];
const RESTOCK_STATE_ATTRIBUTES = [ATTR.sku, ATTR.quantity, ATTR.version, ATTR.contentHash, ATTR.restockStorm, ATTR.stormMovement];

export interface RepositoryOptions {
  /** Items per Query page; DynamoDB also ends a page at 1 MB. Bounds memory per round trip. */
  pageSize?: number;
  /** Deadline of one call, its retries included: a frozen DynamoDB costs a request no more. */
  timeoutMs?: number;
}

/**
 * The inventory table: one item per (store, SKU). A call that fails for want of DynamoDB (down,
 * frozen past the deadline, throttling past the SDK's retries) rejects with a 503
 * `DYNAMODB_UNAVAILABLE` error carrying `Retry-After`; anything else is rethrown as it is.
 */
export class StoreInventoryRepository {
  private readonly pageSize?: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    options: RepositoryOptions = {},
  ) {
    this.pageSize = options.pageSize;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DYNAMODB_TIMEOUT_MS;
  }

  /** One DynamoDB call under the deadline (and the caller's own signal, if any). */
  private guarded<T>(call: (abortSignal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withDeadline(this.timeoutMs, call, signal);
  }

  /**
   * Every item of a store, in SKU order, following DynamoDB's 1 MB pages. Strongly consistent,
   * because the read cache relies on a read never missing a write that finished before it began.
   */
  async listStoreItems(storeId: string, signal?: AbortSignal): Promise<InventoryItem[]> {
    const items: InventoryItem[] = [];
    for await (const page of this.queryPages(storeId, ITEM_ATTRIBUTES, this.pageSize, signal)) {
      for (const raw of page) items.push(toItem(raw));
    }
    return items;
  }

  /**
   * Up to `limit` items of a store after `afterSku`, in SKU order, strongly consistent, and whether
   * more follow (one item more is read to know).
   */
  async listStorePage(
    storeId: string,
    limit: number,
    afterSku?: string,
    signal?: AbortSignal,
  ): Promise<{ items: InventoryItem[]; more: boolean }> {
    const items: InventoryItem[] = [];
    for await (const page of this.queryPages(storeId, ITEM_ATTRIBUTES, limit + 1, signal, afterSku)) {
      for (const raw of page) items.push(toItem(raw));
      if (items.length > limit) break;
    }
    return { items: items.slice(0, limit), more: items.length > limit };
  }

  /**
   * The items at `keys` (at most 100: one BatchGetItem), strongly consistent, with their versions;
   * keys DynamoDB hands back unprocessed are asked again with backoff. Absent items are left out.
   */
  async getItems(keys: Array<{ storeId: string; sku: string }>, options: BatchWriteOptions = {}): Promise<VersionedItem[]> {
    const items: VersionedItem[] = [];
    let pending: Array<Record<string, AttributeValue>> = keys.map(({ storeId, sku }) => ({
      [ATTR.storeId]: { S: storeId },
      [ATTR.sku]: { S: sku },
    }));
    if (pending.length === 0) return items;
    const names = Object.fromEntries([...ITEM_ATTRIBUTES, ATTR.version].map((name, i) => [`#a${i}`, name]));
    await this.untilNoneLeft(async () => {
      const result = await this.guarded((abortSignal) =>
        this.client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: pending,
                ConsistentRead: true,
                ProjectionExpression: Object.keys(names).join(', '),
                ExpressionAttributeNames: names,
              },
            },
          }),
          { abortSignal },
        ),
      );
      for (const raw of result.Responses?.[this.tableName] ?? [])
        items.push({ ...toItem(raw), version: Number(raw[ATTR.version]?.N ?? 0) });
      pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      return pending.length;
    }, options);
    return items;
  }

  /** Per SKU of a store: its version, quantity, and what the last storm wrote. */
  async listRestockState(storeId: string): Promise<Map<string, RestockState>> {
    const states = new Map<string, RestockState>();
    for await (const page of this.restockStatePages(storeId, this.pageSize)) {
      for (const [sku, state] of page) states.set(sku, state);
    }
    return states;
  }

  /**
   * A store's restock state in SKU order, `pageSize` SKUs per Query, each page fetched only when
   * the caller asks for it: a storm reads a chunk's state just before checking the chunk, so its
   * reads interleave with its writes.
   */
  async *restockStatePages(storeId: string, pageSize: number | undefined): AsyncGenerator<Array<[string, RestockState]>> {
    for await (const page of this.queryPages(storeId, RESTOCK_STATE_ATTRIBUTES, pageSize)) {
      yield page.map((raw) => [raw[ATTR.sku]?.S ?? '', toRestockState(raw)]);
    }
  }

  /** A store's items, Query page by Query page, strongly consistent, projected to `attributes`. */
  private async *queryPages(
    storeId: string,
    attributes: string[],
    pageSize: number | undefined,
    signal?: AbortSignal,
    afterSku?: string,
  ): AsyncGenerator<Array<Record<string, AttributeValue>>> {
    const names = Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name]));
    let startKey: Record<string, AttributeValue> | undefined =
      afterSku === undefined ? undefined : { [ATTR.storeId]: { S: storeId }, [ATTR.sku]: { S: afterSku } };
    do {
      const page = await this.guarded(
        (abortSignal) =>
          this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: '#store = :store',
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: { ...names, '#store': ATTR.storeId },
              ExpressionAttributeValues: { ':store': { S: storeId } },
              ConsistentRead: true,
              ExclusiveStartKey: startKey,
              Limit: pageSize,
            }),
            { abortSignal },
          ),
        signal,
      );
      yield page.Items ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  /**
   * Readiness: one strongly consistent read of a key that never exists. A data-plane call, unlike
   * DescribeTable, whose low account-wide rate limit every pod's probe would share.
   */
  async checkReachable(): Promise<void> {
    await this.guarded((abortSignal) =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [ATTR.storeId]: { S: '_readiness' }, [ATTR.sku]: { S: '_readiness' } },
          ConsistentRead: true,
        }),
        { abortSignal },
      ),
    );
  }

  /**
   * Writes whole items in batches of 25; items DynamoDB hands back as unprocessed (throttling)
   * are retried with exponential backoff and jitter until none remain or attempts run out.
   */
  async putItems(items: StoredInventoryItem[], options: BatchWriteOptions = {}): Promise<void> {
    for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
      let pending = items
        .slice(start, start + BATCH_WRITE_LIMIT)
        .map((item): WriteRequest => ({ PutRequest: { Item: toAttributes(item) } }));
      await this.untilNoneLeft(async () => {
        await options.pace?.(pending.reduce((units, request) => units + writeUnitsOf(request.PutRequest?.Item ?? {}), 0));
        return (pending = await this.sendBatch(pending)).length;
      }, options);
    }
  }

  /**
   * Runs a batch call until DynamoDB leaves nothing unprocessed (throttling): `attempt` answers how
   * much is left. Most batches go through whole at once: only leftovers pay for the backoff.
   */
  private async untilNoneLeft(attempt: () => Promise<number>, options: BatchWriteOptions): Promise<void> {
    const left = await attempt();
    if (left === 0) return;
    const attempts = options.maxAttempts ?? 8;
    if (attempts <= 1) throw new UnprocessedItemsError(left);
    await backOff(
      async () => {
        const remaining = await attempt();
        if (remaining > 0) throw new UnprocessedItemsError(remaining);
      },
      {
        numOfAttempts: attempts - 1,
        delayFirstAttempt: true,
        startingDelay: options.startingDelayMs ?? 50,
        maxDelay: 5_000,
        jitter: 'full',
        retry: (error) => error instanceof UnprocessedItemsError,
      },
    );
  }

  /** One BatchWriteItem; answers the requests DynamoDB handed back unprocessed. */
  private async sendBatch(requests: WriteRequest[]): Promise<WriteRequest[]> {
    const result = await this.guarded((abortSignal) =>
      this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: requests } }), { abortSignal }),
    );
    return result.UnprocessedItems?.[this.tableName] ?? [];
  }
}
