import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { DependencyUnavailableError } from '@inventory/domain/model';
import type { Logger } from '@inventory/shared/observability';
import { SHARD_END, type ShardLease, TRIM_HORIZON } from './shard-leases/shard-lease.table';
import type { ListedShard } from './shard-leases/shard-lease.coordinator';

/** The shards this worker reads and where each got to: its side of the shard leases (shard-lease.coordinator.ts). */
export interface ShardPositions {
  holds(shardId: string): boolean;
  heldShards(): string[];
  /** Every shard's lease as last known: its checkpoint, and whether it ended. */
  checkpoints(): Map<string, ShardLease>;
  /** False when the lease was taken by another worker meanwhile: the shard is not this worker's to read any more. */
  checkpoint(shardId: string, checkpoint: string, writtenAt: number | null): Promise<boolean>;
}

/** Every shard the stream lists now, with its parent. */
export async function listShards(streams: DynamoDBStreamsClient, streamArn: string): Promise<ListedShard[]> {
  const shards: Shard[] = [];
  let ExclusiveStartShardId: string | undefined;
  do {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }));
    shards.push(...(StreamDescription?.Shards ?? []));
    ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
  } while (ExclusiveStartShardId);
  return shards.map((shard) => ({ shardId: shard.ShardId ?? '', ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}) }));
}

export interface TableStreamReaderOptions {
  streams: DynamoDBStreamsClient;
  /** The table's current stream (DescribeTable's LatestStreamArn). */
  streamArn: () => Promise<string>;
  positions: ShardPositions;
  /** Takes one shard's records in order; must be idempotent (a record may come again after a crash or a lease changing hands). */
  handle: (records: _Record[]) => Promise<void>;
  logger: Logger;
  /** Pause after a round that brought nothing. */
  idleMs: number;
  /** Records asked for per GetRecords (DynamoDB's maximum is 1,000). */
  batchSize?: number;
  /**
   * Where a poison record goes: one that failed `attempts` times on its own, after its page failed
   * as many times (libs/events/README.md#poison-records). The shard then moves past it.
   */
  deadLetter: (shardId: string, record: _Record, error: unknown) => Promise<void>;
  /** Tries of a page, then of each of its records alone, before one is dead-lettered. */
  attempts?: number;
  /**
   * A checkpoint found older than the stream keeps: the records after it that the stream dropped
   * were never handled. Told when the shard's oldest record still kept was written (now, when it
   * keeps none), before any record after the gap is handled or checkpointed.
   */
  trimmed?: (shardId: string, checkpoint: string, oldestKeptAt: number) => Promise<void>;
}

/** An outage or a throttle, as opposed to a record that cannot be processed. */
function isTransient(error: unknown): boolean {
  if (error instanceof DependencyUnavailableError) return true;
  if ((error as { $retryable?: unknown } | undefined)?.$retryable) return true;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|MaxRetriesPerRequest|Throttl/i.test(
    error instanceof Error ? `${error.name} ${error.message}` : '',
  );
}

const SHARD_LIST_MS = 5_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Reads the shards this worker holds the leases of, in the order DynamoDB Streams promises: a
 * shard's records in sequence, and a child shard only after its parent is read to the end, so one
 * item's changes are always taken in the order they were made. Each page of records is handed
 * over, then checkpointed in its lease; whoever holds the lease next resumes after the last
 * checkpoint (a shard never read starts at its oldest record: nothing written before the consumer
 * first ran is missed). A checkpoint refused (the lease was taken) drops the shard.
 */
export class TableStreamReader {
  private readonly iterators = new Map<string, string>();
  private listed?: { streamArn: string; at: number; shards: ListedShard[] };
  private controller = new AbortController();
  private running?: Promise<void>;
  /**
   * Per open shard, when the oldest record not yet handled was written, as far as the last read
   * knows; undefined when its last read came back empty (caught up). Finished shards are dropped.
   */
  private readonly behindSince = new Map<string, number | undefined>();
  /** Shards whose checkpoint the stream no longer had, the iterator now at their oldest record: the gap not yet told. */
  private readonly trimmedAt = new Map<string, string>();

  constructor(private readonly options: TableStreamReaderOptions) {}

  start(): void {
    if (this.running) return;
    this.controller = new AbortController();
    this.running = this.loop(this.controller.signal);
  }

  /** Stops after the page in hand is handled and checkpointed. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
    this.running = undefined;
  }

  /**
   * The iterator age per shard: now minus when the oldest record not yet handled was written; 0 for
   * a shard whose last read found nothing new, so an idle, caught-up stream reads 0, not the age of
   * its last record. Between reads the record after the last one handled is taken as that old (it
   * cannot be older): the figure errs high by at most one read's time.
   */
  lag(now = Date.now()): Array<{ shardId: string; seconds: number }> {
    return [...this.behindSince].map(([shardId, since]) => ({
      shardId,
      seconds: since === undefined ? 0 : Math.max(0, now - since) / 1_000,
    }));
  }

  /**
   * The stream's shards, listed again at most every SHARD_LIST_MS unless a held shard is not in the
   * last list (DescribeStream is allowed 10 calls a second per stream, across every pod).
   */
  private async shards(streamArn: string): Promise<ListedShard[]> {
    const known = this.listed?.streamArn === streamArn ? this.listed : undefined;
    const unknownHeld = this.options.positions.heldShards().some((shardId) => !known?.shards.some((shard) => shard.shardId === shardId));
    if (known && !unknownHeld && Date.now() - known.at < SHARD_LIST_MS) return known.shards;
    const shards = await listShards(this.options.streams, streamArn);
    this.listed = { streamArn, at: Date.now(), shards };
    return shards;
  }

  /**
   * One pass over every shard this worker holds that may be read now, the shards side by side (each
   * in its own order); answers whether anything was taken.
   */
  async round(): Promise<boolean> {
    const streamArn = await this.options.streamArn();
    const shards = await this.shards(streamArn);
    const leases = this.options.positions.checkpoints();
    const listed = new Set(shards.map((shard) => shard.shardId));
    const ended = (shardId: string) => leases.get(shardId)?.checkpoint === SHARD_END;
    const readable = shards.filter(({ shardId, parentShardId }) => {
      const parentDone = !parentShardId || !listed.has(parentShardId) || ended(parentShardId);
      return this.options.positions.holds(shardId) && !ended(shardId) && parentDone;
    });
    for (const shardId of [...this.behindSince.keys()]) if (!this.options.positions.holds(shardId)) this.forget(shardId);
    // Settled, not raced: a shard's read still running into the next round would take its pages out of order.
    const reads = await Promise.allSettled(
      readable.map(({ shardId }) => {
        const checkpoint = leases.get(shardId)?.checkpoint;
        return this.readPage(streamArn, shardId, checkpoint === TRIM_HORIZON ? undefined : checkpoint);
      }),
    );
    const failed = reads.find((read): read is PromiseRejectedResult => read.status === 'rejected');
    if (failed) throw failed.reason;
    return reads.some((read) => read.status === 'fulfilled' && read.value);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        if (!(await this.round())) await sleep(this.options.idleMs, signal);
      } catch (error) {
        this.options.logger.error({ err: error }, 'events consumer: stream read failed; retrying');
        this.iterators.clear();
        await sleep(Math.max(this.options.idleMs, 1_000), signal);
      }
    }
  }

  /**
   * Hands a page over, tried `attempts` times; a page that still fails is handed over record by
   * record, in order, each tried as often, and a record failing every try is dead-lettered so the
   * shard moves on. Records handled again are harmless (every effect is idempotent).
   */
  private async handled(shardId: string, records: _Record[]): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    const tried = async (batch: _Record[]): Promise<unknown> => {
      let failure: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (this.controller.signal.aborted) throw new Error('stopped while retrying a page');
        try {
          await this.options.handle(batch);
          return undefined;
        } catch (error) {
          // DynamoDB or Redis away is nobody's record's fault: the shard waits (the loop retries), nothing is dead-lettered.
          if (isTransient(error)) throw error;
          failure = error;
          this.options.logger.warn({ err: error, shard_id: shardId, records: batch.length, attempt }, 'events consumer: a page failed');
          if (attempt < attempts) await sleep(100 * 2 ** attempt, this.controller.signal);
        }
      }
      return failure ?? new Error('failed');
    };
    if ((await tried(records)) === undefined) return;
    for (const record of records) {
      const failure = await tried([record]);
      if (failure === undefined) continue;
      this.options.logger.error(
        { err: failure, shard_id: shardId, sequence_number: record.dynamodb?.SequenceNumber },
        'events consumer: a record failed every attempt; dead-lettered, the shard moves on',
      );
      await this.options.deadLetter(shardId, record, failure);
    }
  }

  private forget(shardId: string): void {
    this.iterators.delete(shardId);
    this.trimmedAt.delete(shardId);
    this.behindSince.delete(shardId);
  }

  /** Reads one page of a shard and checkpoints it; answers whether it took anything or ended the shard. */
  private async readPage(streamArn: string, shardId: string, position: string | undefined): Promise<boolean> {
    let iterator = this.iterators.get(shardId) ?? (await this.iteratorAt(streamArn, shardId, position));
    let page;
    try {
      page = await this.options.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize ?? 1_000 }));
    } catch (error) {
      if (!(error instanceof ExpiredIteratorException)) throw error;
      iterator = await this.iteratorAt(streamArn, shardId, position);
      page = await this.options.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize ?? 1_000 }));
    }
    const records = page.Records ?? [];
    const writtenAt = (record: _Record | undefined) => record?.dynamodb?.ApproximateCreationDateTime?.getTime() ?? Date.now();
    const trimmedCheckpoint = this.trimmedAt.get(shardId);
    if (trimmedCheckpoint !== undefined) {
      // Told before the shard moves on: a kill before this leaves the checkpoint where it was, to be found trimmed again.
      await this.options.trimmed?.(shardId, trimmedCheckpoint, writtenAt(records[0]));
      this.trimmedAt.delete(shardId);
    }
    if (records.length > 0) {
      this.behindSince.set(shardId, writtenAt(records[0]));
      await this.handled(shardId, records);
      const last = records[records.length - 1];
      if (!(await this.options.positions.checkpoint(shardId, last?.dynamodb?.SequenceNumber ?? '', writtenAt(last)))) {
        this.forget(shardId);
        return true;
      }
      this.behindSince.set(shardId, writtenAt(last));
    } else {
      this.behindSince.set(shardId, undefined);
    }
    if (page.NextShardIterator) {
      this.iterators.set(shardId, page.NextShardIterator);
      return records.length > 0;
    }
    // A closed shard read to its end: its children may start.
    await this.options.positions.checkpoint(shardId, SHARD_END, null);
    this.forget(shardId);
    return true;
  }

  private async iteratorAt(streamArn: string, shardId: string, position: string | undefined): Promise<string> {
    const ask = (from: string | undefined) =>
      this.options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(from ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: from } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
    try {
      return (await ask(position)).ShardIterator ?? '';
    } catch (error) {
      if (!(error instanceof TrimmedDataAccessException)) throw error;
      // The checkpoint is older than the stream keeps (24 h): what lay between is gone from it (alarmed: libs/events/README.md#retention).
      this.options.logger.error(
        { shard_id: shardId, position },
        'events consumer: checkpoint older than the stream; resuming at its oldest record',
      );
      this.trimmedAt.set(shardId, position ?? '');
      return (await ask(undefined)).ShardIterator ?? '';
    }
  }
}
