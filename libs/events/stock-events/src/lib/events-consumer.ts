import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DeadLetter } from '@inventory/domain/model';
import type { Logger, Metrics } from '@inventory/shared/observability';
import { gapWindow, RetentionGapReplayer, type RetentionGapReplayerOptions } from './retention-gaps/retention-gap.replayer';
import { ShardLeaseCoordinator } from './shard-leases/shard-lease.coordinator';
import { ShardLeaseTable } from './shard-leases/shard-lease.table';
import type { StockEventProcessor } from './stock-event.processor';
import { listShards, TableStreamReader } from './table-stream.reader';

export interface EventsConsumerOptions {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  processor: StockEventProcessor;
  /** Where records that failed every attempt go (stock/movements' `EventDeadLetters`). */
  deadLetters: { put(letter: DeadLetter): Promise<void> };
  /** Where a shard's dropped records are found again (libs/events/README.md#retention). */
  retention: {
    gaps: RetentionGapReplayerOptions['gaps'];
    history: RetentionGapReplayerOptions['history'];
    stores: RetentionGapReplayerOptions['stores'];
  };

  logger: Logger;
  metrics: Metrics;
  idleMs: number;
  /** A shard lease not renewed this long is taken over by another pod. */
  leaseMs: number;
  timeoutMs?: number;
}

export interface EventsConsumer {
  reader: TableStreamReader;
  leases: ShardLeaseCoordinator;
  replayer: RetentionGapReplayer;
  stop: () => Promise<void>;
}

/**
 * The events consumer (apps/README.md#events-and-webhooks): every pod takes its share of the
 * inventory table's stream shards by lease (libs/events/README.md#shard-leases), reads them, hands
 * each page to the processor and checkpoints it in the shard's lease.
 */
export function startEventsConsumer(options: EventsConsumerOptions): EventsConsumer {
  const { dynamodb, tableName, logger } = options;
  let streamArn: string | undefined;
  const currentStream = async () => {
    if (!streamArn) {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
      streamArn = Table.LatestStreamArn;
    }
    return streamArn;
  };
  // Names the pod and process in the lease table, as the KCL's worker identifier does (unique across restarts).
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leases = new ShardLeaseCoordinator({
    table: new ShardLeaseTable(dynamodb, tableName, options.timeoutMs),
    shards: async () => listShards(options.streams, await currentStream()),
    failoverMs: options.leaseMs,
    logger,
    workerId,
  });
  const { gaps } = options.retention;
  const replayer = new RetentionGapReplayer({
    ...options.retention,
    processor: options.processor,
    workerId,
    claimMs: 3 * options.leaseMs,
    logger,
    metrics: options.metrics,
  });
  const replay = () =>
    void replayer.pass().catch((error: unknown) => logger.error({ err: error }, 'events consumer: retention gap replay failed; retrying'));
  const reader = new TableStreamReader({
    streams: options.streams,
    streamArn: currentStream,
    positions: leases,
    handle: (records) => options.processor.handle(records),
    deadLetter: (shardId, record, error) =>
      options.deadLetters.put({
        shard_id: shardId,
        sequence_number: record.dynamodb?.SequenceNumber ?? '',
        written_at: (record.dynamodb?.ApproximateCreationDateTime ?? new Date()).toISOString(),
        failed_at: new Date().toISOString(),
        error: (error instanceof Error ? error.message : String(error)).slice(0, 2_000),
        record: JSON.stringify(record),
      }),
    // Any is an alarm (the dashboard's lag widget) until the gap is replayed: events of the records the stream dropped are missing.
    trimmed: async (shardId, checkpoint, oldestKeptAt) => {
      options.metrics.count('EventsCheckpointTrimmed', 1);
      const window = gapWindow(leases.checkpoints().get(shardId)?.checkpointWrittenAt ?? null, oldestKeptAt);
      await gaps.record({
        shard_id: shardId,
        checkpoint,
        from: window.from,
        through: window.through,
        storm_from: window.stormFrom,
        found_at: new Date().toISOString(),
      });
      replay();
    },
    logger,
    idleMs: options.idleMs,
  });
  leases.start();
  reader.start();
  // Gaps another pod found, or left unfinished (its claim lapsed).
  const replays = setInterval(replay, options.leaseMs);
  replay();
  return {
    reader,
    leases,
    replayer,
    stop: async () => {
      // The page in hand is finished and checkpointed first; then the leases are given up for the other pods to take at once.
      clearInterval(replays);
      await Promise.all([reader.stop(), replayer.stop()]);
      await leases.stop();
    },
  };
}
