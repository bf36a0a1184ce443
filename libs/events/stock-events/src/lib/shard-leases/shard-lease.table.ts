import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { leaseTableName } from '@inventory/stock/inventory-table';

/** A shard never read yet starts at its oldest record: nothing written before the consumer first ran is missed. */
export const TRIM_HORIZON = 'TRIM_HORIZON';
/** A shard read to its end (closed by DynamoDB and every record taken): its children may start. */
export const SHARD_END = 'SHARD_END';
/** How long a finished shard's lease stays after its end: past the stream's 24 h, when the shard is no longer listed. */
const FINISHED_LEASE_SECONDS = 48 * 3600;

/**
 * One shard's lease, as the Kinesis Client Library keeps it (libs/events/README.md#shard-leases):
 * its owner, a counter every owner's write bumps (a lease whose counter stands still for the
 * failover time is expired), the checkpoint, and the parent shards that must end first.
 */
export interface ShardLease {
  leaseKey: string;
  leaseOwner: string | null;
  leaseCounter: number;
  /** `TRIM_HORIZON`, the sequence number of the last record whose effects all landed, or `SHARD_END`. */
  checkpoint: string;
  /** When the checkpointed record was written (ms): how far behind a checkpoint is, and the gap a trimmed stream left. */
  checkpointWrittenAt: number | null;
  parentShardIds: string[];
  ownerSwitchesSinceCheckpoint: number;
}

function toLease(raw: Record<string, AttributeValue>): ShardLease {
  return {
    leaseKey: raw['leaseKey']?.S ?? '',
    leaseOwner: raw['leaseOwner']?.S ?? null,
    leaseCounter: Number(raw['leaseCounter']?.N ?? 0),
    checkpoint: raw['checkpoint']?.S ?? TRIM_HORIZON,
    checkpointWrittenAt: raw['checkpointWrittenAt']?.N === undefined ? null : Number(raw['checkpointWrittenAt'].N),
    parentShardIds: raw['parentShardIds']?.SS ?? [],
    ownerSwitchesSinceCheckpoint: Number(raw['ownerSwitchesSinceCheckpoint']?.N ?? 0),
  };
}

/**
 * The lease table's writes, each conditional, so two workers never both believe they own a shard:
 * a worker's own writes (renew, checkpoint, evict) hold only while it is the owner; a take holds
 * only if the lease is as the taker last saw it (its counter), so a live owner's renewal defeats it.
 */
export class ShardLeaseTable {
  readonly tableName: string;

  constructor(
    private readonly client: DynamoDBClient,
    inventoryTable: string,
    private readonly timeoutMs = DEFAULT_DYNAMODB_TIMEOUT_MS,
  ) {
    this.tableName = leaseTableName(inventoryTable);
  }

  /** Every lease, strongly consistent (a table of one item per open shard: a page or two). */
  async list(): Promise<ShardLease[]> {
    const leases: ShardLease[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }), {
          abortSignal,
        }),
      );
      leases.push(...(page.Items ?? []).map(toLease));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return leases;
  }

  /** The lease of a shard first seen: nobody's, at the shard's oldest record. Another worker's creation first wins. */
  async create(shardId: string, parentShardIds: string[]): Promise<void> {
    try {
      const put = new PutItemCommand({
        TableName: this.tableName,
        Item: {
          leaseKey: { S: shardId },
          leaseCounter: { N: '0' },
          checkpoint: { S: TRIM_HORIZON },
          ownerSwitchesSinceCheckpoint: { N: '0' },
          ...(parentShardIds.length > 0 ? { parentShardIds: { SS: parentShardIds } } : {}),
        },
        ConditionExpression: 'attribute_not_exists(leaseKey)',
      });
      await withDeadline(this.timeoutMs, (abortSignal) => this.client.send(put, { abortSignal }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Takes `lease` for `owner` if it is still as seen (an expired lease, or one stolen from a busier worker). */
  take(lease: ShardLease, owner: string): Promise<ShardLease | undefined> {
    return this.update(lease.leaseKey, {
      UpdateExpression: 'SET leaseOwner = :owner, leaseCounter = leaseCounter + :one ADD ownerSwitchesSinceCheckpoint :one',
      ConditionExpression: 'leaseCounter = :seen',
      ExpressionAttributeValues: { ':owner': { S: owner }, ':one': { N: '1' }, ':seen': { N: String(lease.leaseCounter) } },
    });
  }

  /** Bumps the counter: the owner is alive. Undefined once another worker took the lease. */
  renew(shardId: string, owner: string): Promise<ShardLease | undefined> {
    return this.update(shardId, {
      UpdateExpression: 'SET leaseCounter = leaseCounter + :one',
      ConditionExpression: 'leaseOwner = :owner',
      ExpressionAttributeValues: { ':owner': { S: owner }, ':one': { N: '1' } },
    });
  }

  /** Moves the checkpoint (and renews); undefined once another worker took the lease. A shard's end starts its lease's lifetime. */
  checkpoint(shardId: string, owner: string, checkpoint: string, writtenAt: number | null): Promise<ShardLease | undefined> {
    const finished = checkpoint === SHARD_END;
    return this.update(shardId, {
      UpdateExpression: `SET checkpoint = :checkpoint, leaseCounter = leaseCounter + :one, ownerSwitchesSinceCheckpoint = :zero${
        writtenAt === null ? '' : ', checkpointWrittenAt = :writtenAt'
      }${finished ? ', expires_at = :expires' : ''}`,
      ConditionExpression: 'leaseOwner = :owner',
      ExpressionAttributeValues: {
        ':owner': { S: owner },
        ':checkpoint': { S: checkpoint },
        ':one': { N: '1' },
        ':zero': { N: '0' },
        ...(writtenAt === null ? {} : { ':writtenAt': { N: String(writtenAt) } }),
        ...(finished ? { ':expires': { N: String(Math.floor(Date.now() / 1000) + FINISHED_LEASE_SECONDS) } } : {}),
      },
    });
  }

  /** Gives a lease up (a worker stopping): anyone may take it at once, without waiting out the failover time. */
  async evict(shardId: string, owner: string): Promise<void> {
    await this.update(shardId, {
      UpdateExpression: 'REMOVE leaseOwner SET leaseCounter = leaseCounter + :one',
      ConditionExpression: 'leaseOwner = :owner',
      ExpressionAttributeValues: { ':owner': { S: owner }, ':one': { N: '1' } },
    });
  }

  private async update(
    shardId: string,
    input: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Record<string, AttributeValue> },
  ): Promise<ShardLease | undefined> {
    try {
      const update = new UpdateItemCommand({
        TableName: this.tableName,
        Key: { leaseKey: { S: shardId } },
        ReturnValues: 'ALL_NEW',
        ...input,
      });
      const result = await withDeadline(this.timeoutMs, (abortSignal) => this.client.send(update, { abortSignal }));
      return result.Attributes && toLease(result.Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
