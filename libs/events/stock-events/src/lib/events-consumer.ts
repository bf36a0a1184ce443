import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { Logger } from '@inventory/shared/observability';
import { type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { StreamCheckpoints } from './stream-checkpoints';
import { StreamLease } from './stream-lease';
import type { StockEventProcessor } from './stock-event.processor';
import { TableStreamReader } from './table-stream.reader';

export interface EventsConsumerOptions {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  redis: RedisConnection;
  keyPrefix: string;
  processor: StockEventProcessor;
  logger: Logger;
  idleMs: number;
  leaseMs: number;
}

export interface EventsConsumer {
  reader: TableStreamReader;
  /** Whether this process reads the stream now (holds the lease). */
  isLeader: () => boolean;
  stop: () => Promise<void>;
}

/**
 * The events consumer (apps/README.md#events-and-webhooks): the inventory table's stream, read by the one pod holding the
 * lease, each page handed to the processor and then checkpointed in Redis.
 */
export function startEventsConsumer(options: EventsConsumerOptions): EventsConsumer {
  const { dynamodb, tableName, logger } = options;
  let streamArn: string | undefined;
  const reader = new TableStreamReader({
    streams: options.streams,
    streamArn: async () => {
      if (!streamArn) {
        const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
        if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
        streamArn = Table.LatestStreamArn;
      }
      return streamArn;
    },
    checkpoints: StreamCheckpoints.forStream(options.redis, options.keyPrefix, tableName),
    handle: (records) => options.processor.handle(records),
    logger,
    idleMs: options.idleMs,
  });
  const lease = new StreamLease(options.redis, `${options.keyPrefix}:{events}:lease:${tableName}`, options.leaseMs);
  let leader = false;
  let stopped = false;
  const campaign = async () => {
    if (stopped) return;
    try {
      const holds = await lease.hold();
      if (holds && !leader) logger.info({ table: tableName }, 'events consumer: took the stream lease; reading');
      if (!holds && leader) {
        logger.warn({ table: tableName }, 'events consumer: lost the stream lease; stopping reads');
        await reader.stop();
      }
      if (holds && !stopped) reader.start();
      leader = holds;
    } catch (error) {
      logger.error({ err: error }, 'events consumer: lease check failed');
    }
  };
  // The first campaign waits for Redis: tried on a connection still opening, it fails, and the
  // stream would wait a whole lease interval for the next.
  void waitUntilReady(options.redis)
    .catch(() => undefined)
    .then(campaign);
  const timer = setInterval(() => void campaign(), Math.floor(options.leaseMs / 3));
  return {
    reader,
    isLeader: () => leader,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await reader.stop();
      if (leader) await lease.release().catch(() => undefined);
    },
  };
}
