import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ALL_STORES, type Role, type StoreScope } from '@inventory/domain/model';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { MOVEMENT_ATTR, movementTableName } from '@inventory/stock/movements';
import { newApiKey } from './api-key-secret';

/** A key as listed: never its secret, which is stored only as a hash. */
export interface ApiKeyView {
  key_id: string;
  name: string;
  role: Role;
  stores: StoreScope;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** The key this one replaced (`POST /admin/api-keys/{id}/rotate`); both work until the old is revoked. */
  rotated_from: string | null;
}

export interface ApiKeyRecord extends ApiKeyView {
  hash: string;
}

export interface ApiKeyRequest {
  name: string;
  role: Role;
  stores: StoreScope;
  rotated_from?: string;
}

/** One partition of the movements table, as the webhooks: one GetItem a key, cached by every pod (api-key-directory.ts). */
const API_KEYS = 'api-keys';

/** The platform's API keys in DynamoDB. Revoked keys stay, marked, for the audit trail their movements point to. */
export class ApiKeyRepository {
  private readonly table: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: DynamoDBClient,
    inventoryTable: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.table = movementTableName(inventoryTable);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DYNAMODB_TIMEOUT_MS;
  }

  /** A new key: its record, and its secret, which nothing stores and nobody can see again. */
  async create(request: ApiKeyRequest, now = new Date()): Promise<{ key: ApiKeyView; secret: string }> {
    const { keyId, secret, hash } = newApiKey();
    const record: ApiKeyRecord = {
      key_id: keyId,
      name: request.name,
      role: request.role,
      stores: request.stores,
      created_at: now.toISOString(),
      last_used_at: null,
      revoked_at: null,
      rotated_from: request.rotated_from ?? null,
      hash,
    };
    await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            [MOVEMENT_ATTR.pk]: { S: API_KEYS },
            [MOVEMENT_ATTR.sk]: { S: keyId },
            name: { S: record.name },
            role: { S: record.role },
            stores: record.stores === ALL_STORES ? { S: ALL_STORES } : { L: record.stores.map((store) => ({ S: store })) },
            created_at: { S: record.created_at },
            hash: { S: hash },
            ...(record.rotated_from ? { rotated_from: { S: record.rotated_from } } : {}),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk },
        }),
        { abortSignal },
      ),
    );
    return { key: viewOf(record), secret };
  }

  /** One key, strongly consistent (a revocation is seen at once). */
  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(new GetItemCommand({ TableName: this.table, Key: keyOf(keyId), ConsistentRead: true }), { abortSignal }),
    );
    return Item ? recordOf(Item) : undefined;
  }

  /** Every key, revoked ones too, oldest first. */
  async list(): Promise<ApiKeyView[]> {
    const keys: ApiKeyView[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk },
            ExpressionAttributeValues: { ':pk': { S: API_KEYS } },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
          { abortSignal },
        ),
      );
      for (const item of page.Items ?? []) keys.push(viewOf(recordOf(item)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return keys.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.key_id.localeCompare(b.key_id));
  }

  /** Marks a key revoked (once: a second revocation keeps the first instant); undefined when there is no such key. */
  async revoke(keyId: string, now = new Date()): Promise<ApiKeyView | undefined> {
    try {
      const { Attributes } = await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.table,
            Key: keyOf(keyId),
            UpdateExpression: 'SET revoked_at = if_not_exists(revoked_at, :now)',
            ConditionExpression: 'attribute_exists(#pk)',
            ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk },
            ExpressionAttributeValues: { ':now': { S: now.toISOString() } },
            ReturnValues: 'ALL_NEW',
          }),
          { abortSignal },
        ),
      );
      return Attributes ? viewOf(recordOf(Attributes)) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** Records a use; only ever moves `last_used_at` forward. */
  async touch(keyId: string, at: Date): Promise<void> {
    await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: keyOf(keyId),
          UpdateExpression: 'SET last_used_at = :at',
          ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(last_used_at) OR last_used_at < :at)',
          ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk },
          ExpressionAttributeValues: { ':at': { S: at.toISOString() } },
        }),
        { abortSignal },
      ),
    ).catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  }
}

const keyOf = (keyId: string) => ({ [MOVEMENT_ATTR.pk]: { S: API_KEYS }, [MOVEMENT_ATTR.sk]: { S: keyId } });

function recordOf(item: Record<string, AttributeValue>): ApiKeyRecord {
  const stores = item['stores'];
  return {
    key_id: item[MOVEMENT_ATTR.sk]?.S ?? '',
    name: item['name']?.S ?? '',
    role: item['role']?.S as Role,
    stores: stores?.S === ALL_STORES ? ALL_STORES : (stores?.L ?? []).map((store) => store.S ?? ''),
    created_at: item['created_at']?.S ?? '',
    last_used_at: item['last_used_at']?.S ?? null,
    revoked_at: item['revoked_at']?.S ?? null,
    rotated_from: item['rotated_from']?.S ?? null,
    hash: item['hash']?.S ?? '',
  };
}

function viewOf({ hash: _hash, ...view }: ApiKeyRecord): ApiKeyView {
  return view;
}
