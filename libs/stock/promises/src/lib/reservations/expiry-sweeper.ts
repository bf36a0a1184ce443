import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { MOVEMENT_ATTR, movementTableName } from '@inventory/stock/movements';
import type { Logger } from '@inventory/shared/observability';
import { EXPIRY_SHARDS, expiryPartition, expirySortKey, minuteOf } from './reservation-records';
import type { Reservations } from './reservations';

const MINUTE_MS = 60_000;
/** Minutes stay swept only this far behind the clock, so a writer whose clock trails by up to that much never files an entry below the mark. */
const WATERMARK_LAG_MS = 5 * MINUTE_MS;
/** Minute partitions one sweep reads at most (4 queries each, all at once). */
const MINUTES_PER_SWEEP = 30;
const WATERMARK_KEY = { [MOVEMENT_ATTR.pk]: { S: 'expiry#watermark' }, [MOVEMENT_ATTR.sk]: { S: 'record' } };

export interface ExpirySweeperOptions {
  client: DynamoDBClient;
  inventoryTable: string;
  reservations: Reservations;
  logger: Logger;
  /** How often each pod sweeps: the bound on how late a hold is released (apps/README.md#reservations-and-transfers). */
  everyMs?: number;
  /** Expiries run this many at once (those of one store one after another, in its lane). */
  concurrency?: number;
  now?: () => number;
}

/**
 * Releases holds past their expiry (libs/stock/README.md#promises). Every write-api pod sweeps
 * every second: it reads the due entries of each minute partition from the watermark (the oldest
 * minute that may still hold an entry, kept in the table) to now, and expires each reservation.
 * An expiry is conditional on the hold being as read, so pods sweeping at once, a commit racing
 * the expiry, or a pod killed mid-sweep (its entries stay until a sweep's transaction removes them)
 * all end each hold exactly once. A minute whose partitions are empty, and older than the lag, moves
 * the watermark on.
 */
export class ExpirySweeper {
  private readonly table: string;
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly options: ExpirySweeperOptions) {
    this.table = movementTableName(options.inventoryTable);
    this.now = options.now ?? Date.now;
  }

  start(): void {
    const everyMs = this.options.everyMs ?? 1_000;
    const tick = () => {
      const startedAt = Date.now();
      this.running = this.sweep()
        .then((expired) => {
          const tookMs = Date.now() - startedAt;
          // A sweep longer than the period eats into the stated bound: say so, with what it did.
          if (tookMs > everyMs)
            this.options.logger.warn({ took_ms: tookMs, expired }, 'reservation expiry sweep took longer than its period');
          return expired;
        })
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'reservation expiry sweep failed; retrying next sweep'))
        .then(() => {
          // On a fixed cadence from each sweep's start (a slow sweep is followed at once), not a period after its end.
          if (this.timer) this.timer = setTimeout(tick, Math.max(0, startedAt + everyMs - Date.now()));
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One sweep: expires what is due; answers how many holds it ended. */
  async sweep(): Promise<number> {
    const now = this.now();
    const mark = await this.watermark(now);
    // Every minute's partitions read at once (a sweep costs one round trip); a mark left far behind catches up a batch of minutes a sweep.
    const span = Math.min((minuteOf(now) - mark) / MINUTE_MS + 1, MINUTES_PER_SWEEP);
    const minutes = Array.from({ length: span }, (_, i) => mark + i * MINUTE_MS);
    const due = await Promise.all(minutes.map((minute) => this.due(minute, now)));
    const expired = await this.expireAll(due.flat());
    // Minutes from the mark that were empty and past the lag: the mark moves past them.
    let next = mark;
    for (const [i, minute] of minutes.entries()) {
      if (due[i]?.length !== 0 || minute >= minuteOf(now - WATERMARK_LAG_MS)) break;
      next = minute + MINUTE_MS;
    }
    if (next > mark) await this.put(next, '#minute = :was', { ':was': { N: String(mark) } });
    return expired;
  }

  private async expireAll(entries: Array<{ id: string; storeId: string; key: Record<string, AttributeValue> }>): Promise<number> {
    let expired = 0;
    const queue = [...entries];
    const worker = async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        if (await this.options.reservations.expire(entry.id, entry.storeId)) expired += 1;
        // Ended otherwise, its entry went with it; one left behind would only cost a read each sweep.
        else await this.options.client.send(new DeleteItemCommand({ TableName: this.table, Key: entry.key }));
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 32 }, worker));
    return expired;
  }

  /** The entries of `minute` due by `now`, every shard. */
  private async due(minute: number, now: number): Promise<Array<{ id: string; storeId: string; key: Record<string, AttributeValue> }>> {
    const shards = await Promise.all(
      Array.from({ length: EXPIRY_SHARDS }, async (_, shard) => {
        const entries: Array<{ id: string; storeId: string; key: Record<string, AttributeValue> }> = [];
        let startKey: Record<string, AttributeValue> | undefined;
        do {
          const page = await this.options.client.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: '#pk = :pk AND #sk <= :due',
              ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk, '#sk': MOVEMENT_ATTR.sk },
              ExpressionAttributeValues: { ':pk': { S: expiryPartition(minute, shard) }, ':due': { S: expirySortKey(now, '~') } },
              ConsistentRead: true,
              ExclusiveStartKey: startKey,
            }),
          );
          for (const raw of page.Items ?? [])
            entries.push({
              id: raw['reservation_id']?.S ?? '',
              storeId: raw['store_id']?.S ?? '',
              key: { [MOVEMENT_ATTR.pk]: raw[MOVEMENT_ATTR.pk], [MOVEMENT_ATTR.sk]: raw[MOVEMENT_ATTR.sk] } as Record<
                string,
                AttributeValue
              >,
            });
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return entries;
      }),
    );
    return shards.flat();
  }

  /** The oldest minute that may hold an entry; a table without one starts it a lag behind now. */
  private async watermark(now: number): Promise<number> {
    const result = await this.options.client.send(new GetItemCommand({ TableName: this.table, Key: WATERMARK_KEY, ConsistentRead: true }));
    const minute = result.Item?.['minute']?.N;
    if (minute !== undefined) return Number(minute);
    const start = minuteOf(now - WATERMARK_LAG_MS);
    await this.put(start, 'attribute_not_exists(#pk)', {});
    return start;
  }

  /** Sets the watermark if `condition` holds; another pod that moved it first wins. */
  private async put(minute: number, condition: string, values: Record<string, AttributeValue>): Promise<void> {
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...WATERMARK_KEY, minute: { N: String(minute) } },
          ConditionExpression: condition,
          // `minute` is one of DynamoDB's reserved words: always by name.
          ExpressionAttributeNames: condition.includes('#pk') ? { '#pk': MOVEMENT_ATTR.pk } : { '#minute': 'minute' },
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
