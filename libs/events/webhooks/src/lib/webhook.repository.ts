import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { StockEventType, WebhookRegistration, WebhookView } from '@inventory/domain/model';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { MOVEMENT_ATTR, movementTableName } from '@inventory/stock/movements';
import type { WebhookSecretBox } from './webhook-secret-box';

/** A webhook as stored: what the API shows, and the secret deliveries are signed with. */
export interface Webhook extends WebhookView {
  secret: string;
}

const WEBHOOKS_KEY = 'webhooks';

/**
 * Registered webhooks (apps/README.md#events-and-webhooks): one partition of the movements table, as
 * few as operators register. Secrets are stored sealed (webhook-secret-box.ts), never in the clear.
 */
export class WebhookRepository {
  private readonly table: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: DynamoDBClient,
    inventoryTable: string,
    private readonly secrets: WebhookSecretBox,
    options: { timeoutMs?: number } = {},
  ) {
    this.table = movementTableName(inventoryTable);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DYNAMODB_TIMEOUT_MS;
  }

  async register(registration: WebhookRegistration, now = new Date()): Promise<Webhook> {
    const webhook: Webhook = {
      webhook_id: `wh-${randomUUID()}`,
      url: registration.url,
      events: registration.events,
      created_at: now.toISOString(),
      secret: registration.secret,
    };
    await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            [MOVEMENT_ATTR.pk]: { S: WEBHOOKS_KEY },
            [MOVEMENT_ATTR.sk]: { S: webhook.webhook_id },
            url: { S: webhook.url },
            events: { L: webhook.events.map((event) => ({ S: event })) },
            created_at: { S: webhook.created_at },
            secret: { S: this.secrets.seal(webhook.secret, webhook.webhook_id) },
          },
        }),
        { abortSignal },
      ),
    );
    return webhook;
  }

  /** Every webhook, oldest first by id order, strongly consistent. */
  async list(): Promise<Webhook[]> {
    const webhooks: Webhook[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk },
            ExpressionAttributeValues: { ':pk': { S: WEBHOOKS_KEY } },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
          { abortSignal },
        ),
      );
      for (const item of page.Items ?? []) webhooks.push(await this.toWebhook(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return webhooks.sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /** A stored row as a webhook, its secret opened; a row from before sealing is sealed now, once. */
  private async toWebhook(item: Record<string, AttributeValue>): Promise<Webhook> {
    const webhookId = item[MOVEMENT_ATTR.sk]?.S ?? '';
    const stored = item['secret']?.S ?? '';
    const { secret, sealed } = this.secrets.open(stored, webhookId);
    if (!sealed) await this.sealStored(webhookId, stored);
    return {
      webhook_id: webhookId,
      url: item['url']?.S ?? '',
      events: (item['events']?.L ?? []).map((event) => event.S as StockEventType),
      created_at: item['created_at']?.S ?? '',
      secret,
    };
  }

  /** Replaces a clear secret with its sealed form, only if it is still that clear value (another pod may have sealed it first). */
  private async sealStored(webhookId: string, clear: string): Promise<void> {
    await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { [MOVEMENT_ATTR.pk]: { S: WEBHOOKS_KEY }, [MOVEMENT_ATTR.sk]: { S: webhookId } },
          UpdateExpression: 'SET #secret = :sealed',
          ConditionExpression: '#secret = :clear',
          ExpressionAttributeNames: { '#secret': 'secret' },
          ExpressionAttributeValues: { ':sealed': { S: this.secrets.seal(clear, webhookId) }, ':clear': { S: clear } },
        }),
        { abortSignal },
      ),
    ).catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  }

  /** Removes a webhook; answers whether there was one. */
  async delete(webhookId: string): Promise<boolean> {
    const result = await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { [MOVEMENT_ATTR.pk]: { S: WEBHOOKS_KEY }, [MOVEMENT_ATTR.sk]: { S: webhookId } },
          ReturnValues: 'ALL_OLD',
        }),
        { abortSignal },
      ),
    );
    return result.Attributes !== undefined;
  }
}

/** A webhook without its secret, as every answer shows it. */
export function webhookView({ webhook_id, url, events, created_at }: Webhook): WebhookView {
  return { webhook_id, url, events, created_at };
}

/**
 * The registered webhooks as the events process reads them: for every stream page and every
 * delivery, so from a copy at most `ttlMs` old (a new or deleted webhook takes effect within it).
 */
export function cachedWebhooks(repository: WebhookRepository, ttlMs: number) {
  let copy: { at: number; webhooks: Promise<Webhook[]> } | undefined;
  const list = (): Promise<Webhook[]> => {
    if (!copy || Date.now() - copy.at > ttlMs) {
      const webhooks = repository.list();
      copy = { at: Date.now(), webhooks };
      webhooks.catch(() => (copy = undefined));
    }
    return copy.webhooks;
  };
  return { list, byId: async (webhookId: string) => (await list()).find((webhook) => webhook.webhook_id === webhookId) };
}
