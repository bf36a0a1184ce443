/**
 * The baselines of the write benchmarks: the DynamoDB and Redis calls write-api makes for a stock
 * write, made with the raw SDK and ioredis, nothing else (no validation, no framework, no logging,
 * no retry). A write is decided against the SKU's last known version, as write-api's lanes do, so
 * both sides make the same calls: one TransactWriteItems (the item, its movement and, for a keyed
 * write, the key's record), the counters script, and for a keyed write the key's lookup and its
 * in-flight mark in Redis.
 */
import { createHash, randomUUID } from 'node:crypto';
import { GetItemCommand, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { InventoryBackends } from '@inventory/service/bootstrap';

const DAY = 24 * 3600;

export class RawStockWrites {
  private readonly versions = new Map<string, { version: number; quantity: number }>();
  private readonly movements: string;

  constructor(
    private readonly backends: InventoryBackends,
    private readonly table: string,
  ) {
    this.movements = `${table}-movements`;
  }

  private async known(store: string, sku: string) {
    const key = `${store}/${sku}`;
    let state = this.versions.get(key);
    if (!state) {
      const { Item } = await this.backends.dynamodb.send(
        new GetItemCommand({ TableName: this.table, Key: { store_id: { S: store }, sku: { S: sku } }, ConsistentRead: true }),
      );
      state = { version: Number(Item?.['version']?.N ?? 0), quantity: Number(Item?.['quantity']?.N ?? 0) };
    }
    return state;
  }

  /** A set (`update`) or, with `idempotencyKey`, a keyed adjust of `delta`; answers the new version. */
  async write(store: string, sku: string, change: { quantity: number } | { delta: number; idempotencyKey: string }): Promise<number> {
    const redisKey = 'idempotencyKey' in change ? `${this.backends.keys.prefix}:raw-in-flight:${change.idempotencyKey}` : undefined;
    if (redisKey) {
      await this.backends.redis.set(redisKey, '1', 'PX', 10_000, 'NX');
      await this.backends.dynamodb.send(
        new GetItemCommand({
          TableName: this.movements,
          Key: { pk: { S: `idem#${'idempotencyKey' in change ? change.idempotencyKey : ''}` }, sk: { S: 'record' } },
          ConsistentRead: true,
        }),
      );
    }
    const state = await this.known(store, sku);
    const quantity = 'quantity' in change ? change.quantity : state.quantity + change.delta;
    const version = state.version + 1;
    const at = new Date();
    const now = Math.floor(at.getTime() / 1000);
    const movement = {
      pk: { S: `store#${store}` },
      sk: { S: `${at.toISOString()}#${sku}#${String(version).padStart(16, '0')}` },
      history_key: { S: `${store}#${sku}` },
      expires_at: { N: String(now + 35 * DAY) },
      movement_id: { S: randomUUID() },
      store_id: { S: store },
      sku: { S: sku },
      delta: { N: String(quantity - state.quantity) },
      quantity_before: { N: String(state.quantity) },
      quantity_after: { N: String(quantity) },
      version: { N: String(version) },
      reason: { S: 'correction' },
      source: { S: 'api' },
      actor: { S: 'anonymous' },
      at: { S: at.toISOString() },
      change: { S: 'quantity' in change ? 'set' : 'adjust' },
    };
    const items: TransactWriteItem[] = [
      {
        Update: {
          TableName: this.table,
          Key: { store_id: { S: store }, sku: { S: sku } },
          UpdateExpression: 'SET #q = :q, #u = :u, #v = :v REMOVE #h',
          ConditionExpression: state.version === 0 ? 'attribute_not_exists(#v)' : '#v = :e',
          ExpressionAttributeNames: { '#q': 'quantity', '#u': 'updated_at', '#v': 'version', '#h': 'content_hash' },
          ExpressionAttributeValues: {
            ':q': { N: String(quantity) },
            ':u': { S: at.toISOString() },
            ':v': { N: String(version) },
            ...(state.version === 0 ? {} : { ':e': { N: String(state.version) } }),
          },
        },
      },
      { Put: { TableName: this.movements, Item: movement } },
    ];
    if ('idempotencyKey' in change) {
      items.push({
        Put: {
          TableName: this.movements,
          Item: {
            pk: { S: `idem#${change.idempotencyKey}` },
            sk: { S: 'record' },
            request_hash: { S: createHash('sha256').update(`${store}${sku}${change.delta}`).digest('hex') },
            answer: { S: JSON.stringify({ store_id: store, sku, quantity, version, movement: { version } }) },
            expires_at: { N: String(now + DAY) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    await this.backends.dynamodb.send(new TransactWriteItemsCommand({ TransactItems: items }));
    this.versions.set(`${store}/${sku}`, { version, quantity });
    await this.backends.counters.apply(store, [{ sku, version, quantity }]);
    if (redisKey) await this.backends.redis.del(redisKey);
    return version;
  }
}
