import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { MOVEMENT_ATTR, movementTableName } from './movement-table';

const PARTITION = 'events#retention-gaps';

/**
 * What the stream dropped of one shard, to be replayed from the movements table
 * (libs/events/README.md#retention): its movements by time, and how far the replay got (stores in
 * id order: every store up to `done_through` is replayed).
 */
export interface RetentionGap {
  shard_id: string;
  /** The checkpoint the stream no longer had. */
  checkpoint: string;
  from: string;
  through: string;
  storm_from: string;
  found_at: string;
  done_through: string;
}

const FIELDS = ['shard_id', 'checkpoint', 'from', 'through', 'storm_from', 'found_at', 'done_through'] as const;

/**
 * The open retention gaps, in the movements table under one partition (like the dead letters), each
 * kept until replayed. A replaying pod claims a gap for a while and renews the claim with its
 * progress; another pod takes over a claim left to lapse, from the progress recorded.
 */
export class RetentionGaps {
  private readonly table: string;

  constructor(
    private readonly client: DynamoDBClient,
    inventoryTable: string,
    private readonly timeoutMs = DEFAULT_DYNAMODB_TIMEOUT_MS,
  ) {
    this.table = movementTableName(inventoryTable);
  }

  private keyOf(gap: Pick<RetentionGap, 'shard_id' | 'checkpoint'>): Record<string, AttributeValue> {
    return { [MOVEMENT_ATTR.pk]: { S: PARTITION }, [MOVEMENT_ATTR.sk]: { S: `${gap.shard_id}#${gap.checkpoint}` } };
  }

  /** Whether a conditional write held: false when its condition failed. */
  private async held(command: PutItemCommand | UpdateItemCommand | DeleteItemCommand): Promise<boolean> {
    try {
      await withDeadline(this.timeoutMs, (abortSignal) => this.client.send(command as PutItemCommand, { abortSignal }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Records a gap; the same shard and checkpoint found again (a pod killed before its next checkpoint) keeps the first's progress. */
  async record(gap: Omit<RetentionGap, 'done_through'>): Promise<void> {
    const Item: Record<string, AttributeValue> = { ...this.keyOf(gap), done_through: { S: '' } };
    for (const field of FIELDS) if (field !== 'done_through') Item[field] = { S: gap[field] };
    await this.held(
      new PutItemCommand({
        TableName: this.table,
        Item,
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk },
      }),
    );
  }

  /** Every gap not yet replayed, strongly consistent. */
  async open(): Promise<RetentionGap[]> {
    const gaps: RetentionGap[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const query = new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk },
        ExpressionAttributeValues: { ':pk': { S: PARTITION } },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      });
      const page = await withDeadline(this.timeoutMs, (abortSignal) => this.client.send(query, { abortSignal }));
      for (const raw of page.Items ?? [])
        gaps.push(Object.fromEntries(FIELDS.map((field) => [field, raw[field]?.S ?? ''])) as unknown as RetentionGap);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return gaps;
  }

  /**
   * Claims a gap for `owner` until `until` (ms), or renews its claim, with how far it got if said:
   * holds only while nobody else's claim is current. False: another pod replays it (or it is done).
   */
  async claim(gap: RetentionGap, owner: string, until: number, doneThrough?: string): Promise<boolean> {
    return this.held(
      new UpdateItemCommand({
        TableName: this.table,
        Key: this.keyOf(gap),
        UpdateExpression: `SET #owner = :owner, #until = :until${doneThrough === undefined ? '' : ', #done = :done'}`,
        ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(#owner) OR #owner = :owner OR #until < :now)',
        ExpressionAttributeNames: {
          '#pk': MOVEMENT_ATTR.pk,
          '#owner': 'owner',
          '#until': 'owner_until',
          ...(doneThrough === undefined ? {} : { '#done': 'done_through' }),
        },
        ExpressionAttributeValues: {
          ':owner': { S: owner },
          ':until': { N: String(until) },
          ':now': { N: String(Date.now()) },
          ...(doneThrough === undefined ? {} : { ':done': { S: doneThrough } }),
        },
      }),
    );
  }

  /** A gap replayed to its last store: gone, if `owner` still holds it. */
  async finish(gap: RetentionGap, owner: string): Promise<boolean> {
    return this.held(
      new DeleteItemCommand({
        TableName: this.table,
        Key: this.keyOf(gap),
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': { S: owner } },
      }),
    );
  }
}
