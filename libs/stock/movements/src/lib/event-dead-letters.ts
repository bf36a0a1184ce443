import { type AttributeValue, DeleteItemCommand, type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { DeadLetter } from '@inventory/domain/model';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { MOVEMENT_ATTR, movementTableName } from './movement-table';

/** How long a dead letter is kept for an operator to look at and act on: two weeks. */
const DEAD_LETTER_SECONDS = 14 * 24 * 3600;
const PARTITION = 'events#dead-letters';
const FIELDS = ['shard_id', 'sequence_number', 'written_at', 'failed_at', 'error', 'record'] as const;

/**
 * The events consumer's dead letters, in the movements table under one partition, oldest first,
 * kept two weeks. The same record given up on again rewrites the same item.
 */
export class EventDeadLetters {
  private readonly table: string;

  constructor(
    private readonly client: DynamoDBClient,
    inventoryTable: string,
    private readonly timeoutMs = DEFAULT_DYNAMODB_TIMEOUT_MS,
  ) {
    this.table = movementTableName(inventoryTable);
  }

  private keyOf(letter: DeadLetter): Record<string, AttributeValue> {
    return {
      [MOVEMENT_ATTR.pk]: { S: PARTITION },
      [MOVEMENT_ATTR.sk]: { S: `${letter.written_at}#${letter.shard_id}#${letter.sequence_number}` },
    };
  }

  async put(letter: DeadLetter): Promise<void> {
    const Item: Record<string, AttributeValue> = {
      ...this.keyOf(letter),
      [MOVEMENT_ATTR.expiresAt]: { N: String(Math.floor(Date.parse(letter.failed_at) / 1000) + DEAD_LETTER_SECONDS) },
    };
    for (const field of FIELDS) Item[field] = { S: letter[field] };
    await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(new PutItemCommand({ TableName: this.table, Item }), { abortSignal }),
    );
  }

  /** A letter replayed: gone from the list. */
  async delete(letter: DeadLetter): Promise<void> {
    await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(new DeleteItemCommand({ TableName: this.table, Key: this.keyOf(letter) }), { abortSignal }),
    );
  }

  /** The dead letters, oldest first, up to `limit`. */
  async list(limit = 100): Promise<DeadLetter[]> {
    const page = await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk },
          ExpressionAttributeValues: { ':pk': { S: PARTITION } },
          ConsistentRead: true,
          Limit: limit,
        }),
        { abortSignal },
      ),
    );
    const text = (raw: Record<string, AttributeValue>, field: (typeof FIELDS)[number]) => raw[field]?.S ?? '';
    return (page.Items ?? []).map((raw) => ({
      shard_id: text(raw, 'shard_id'),
      sequence_number: text(raw, 'sequence_number'),
      written_at: text(raw, 'written_at'),
      failed_at: text(raw, 'failed_at'),
      error: text(raw, 'error'),
      record: text(raw, 'record'),
    }));
  }
}
