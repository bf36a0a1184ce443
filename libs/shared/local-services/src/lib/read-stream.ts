import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';

/**
 * Reads every shard of a stream from its oldest record to where it stands now, `readers` loops
 * sharing the shards; `each` gets every non-empty page. A test's or benchmark's own view of the
 * stream (what a caught-up consumer must have read), independent of the reader under test.
 */
export async function readStream(
  streams: DynamoDBStreamsClient,
  streamArn: string,
  each: (shardId: string, records: _Record[]) => Promise<void> | void,
  readers = 1,
): Promise<void> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const queue = (StreamDescription?.Shards ?? []).map((shard) => shard.ShardId ?? '');
  await Promise.all(
    Array.from({ length: readers }, async () => {
      for (let shardId = queue.shift(); shardId; shardId = queue.shift()) {
        let { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
        );
        // An open shard answers an empty page at its end; an ended one, no next iterator.
        while (ShardIterator) {
          const page = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1_000 }));
          if ((page.Records ?? []).length === 0) break;
          await each(shardId, page.Records ?? []);
          ShardIterator = page.NextShardIterator;
        }
      }
    }),
  );
}

/** Each shard's last sequence number now: where a caught-up lease's checkpoint stands. */
export async function streamEnds(
  streams: DynamoDBStreamsClient,
  streamArn: string,
): Promise<{ records: number; ends: Map<string, string> }> {
  const ends = new Map<string, string>();
  let records = 0;
  await readStream(streams, streamArn, (shardId, page) => {
    records += page.length;
    ends.set(shardId, page.at(-1)?.dynamodb?.SequenceNumber ?? '0');
  });
  return { records, ends };
}
