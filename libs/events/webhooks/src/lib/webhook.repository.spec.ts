import { randomBytes, randomUUID } from 'node:crypto';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { MOVEMENT_ATTR, movementTableName } from '@inventory/stock/movements';
import { WebhookSecretBox } from './webhook-secret-box';
import { WebhookRepository } from './webhook.repository';

describe('registered webhooks in DynamoDB Local: their secrets sealed at rest', () => {
  let env: InventoryTestEnvironment;
  const box = new WebhookSecretBox(randomBytes(32).toString('base64'));
  let repository: WebhookRepository;
  const storedSecret = async (webhookId: string) =>
    (
      await env.backends.dynamodb.send(
        new GetItemCommand({
          TableName: movementTableName(env.config.DYNAMODB_TABLE),
          Key: { [MOVEMENT_ATTR.pk]: { S: 'webhooks' }, [MOVEMENT_ATTR.sk]: { S: webhookId } },
          ConsistentRead: true,
        }),
      )
    ).Item?.['secret']?.S;

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    repository = new WebhookRepository(env.backends.dynamodb, env.config.DYNAMODB_TABLE, box);
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('when a webhook is registered, then the table holds its secret sealed, and the list gives it back to sign with', async () => {
    const webhook = await repository.register({ url: 'https://example.com/hook', events: ['stock.out'], secret: 'whsec-registered-0001' });

    const stored = await storedSecret(webhook.webhook_id);
    expect(stored).toMatch(/^aes256gcm:/);
    expect(stored).not.toContain('whsec-registered-0001');
    expect((await repository.list()).find((listed) => listed.webhook_id === webhook.webhook_id)?.secret).toBe('whsec-registered-0001');
  });

  it('when a row was written before sealing (its secret in the clear), then the first read seals it, once, and signing goes on with the same secret', async () => {
    const webhookId = `wh-${randomUUID()}`;
    await env.backends.dynamodb.send(
      new PutItemCommand({
        TableName: movementTableName(env.config.DYNAMODB_TABLE),
        Item: {
          [MOVEMENT_ATTR.pk]: { S: 'webhooks' },
          [MOVEMENT_ATTR.sk]: { S: webhookId },
          url: { S: 'https://example.com/old' },
          events: { L: [{ S: 'stock.low' }] },
          created_at: { S: '2026-12-01T00:00:00.000Z' },
          secret: { S: 'whsec-from-before-sealing' },
        },
      }),
    );

    // Two pods reading at once: one seals it, the other's conditional write finds it sealed.
    const [first, second] = await Promise.all([repository.list(), repository.list()]);
    const sealed = await storedSecret(webhookId);
    const again = await repository.list();

    for (const list of [first, second, again])
      expect(list.find((webhook) => webhook.webhook_id === webhookId)?.secret).toBe('whsec-from-before-sealing');
    expect(sealed).toMatch(/^aes256gcm:/);
    expect(await storedSecret(webhookId)).toBe(sealed);
  });
});
