import { createHash } from 'node:crypto';

/**
 * DynamoDB Local gives a table's stream one open shard; AWS gives one per table partition and splits
 * them as the table grows. To test readers against many shards and a split, the fault proxy presents
 * each real shard as `count` shards, records spread over them by a hash of their partition key (as
 * DynamoDB places items), and after `split()` ends each one and opens two children taking the later
 * records. Every shard id, iterator and sequence number a client sees is one the real protocol could
 * give: children list their parent, a parent's GetRecords ends (no NextShardIterator) once it has
 * handed over every record of its own up to the split, and sequence numbers are the real ones.
 */
export interface StreamShardLayout {
  /** The key attribute records are spread by (the table's partition key). */
  partitionKey: string;
  /** Shards each real shard is shown as. */
  count: number;
  /** The last real sequence number the parents hold; later records go to the children. */
  splitAfter?: bigint;
}

interface StreamRecord {
  dynamodb?: { SequenceNumber?: string; Keys?: Record<string, { S?: string; N?: string; B?: string }> };
}

interface ListedShard {
  ShardId: string;
  ParentShardId?: string;
  SequenceNumberRange?: { StartingSequenceNumber?: string; EndingSequenceNumber?: string };
}

/** Where a presented shard sits: its real shard, its generation (0 parents, 1 children) and its bucket. */
interface Presented {
  real: string;
  child: boolean;
  bucket: number;
}

const PARENT = '-p';
const CHILD = '-c';

export function presentedShard(shardId: string): Presented | undefined {
  const match = /^(.*)(-p|-c)(\d+)$/.exec(shardId);
  if (!match?.[1] || !match[3]) return undefined;
  return { real: match[1], child: match[2] === CHILD, bucket: Number(match[3]) };
}

const idOf = (real: string, child: boolean, bucket: number) => `${real}${child ? CHILD : PARENT}${bucket}`;

function bucketOf(layout: StreamShardLayout, record: StreamRecord, buckets: number): number {
  const key = record.dynamodb?.Keys?.[layout.partitionKey];
  const value = key?.S ?? key?.N ?? key?.B ?? '';
  return createHash('md5').update(value).digest().readUInt32BE(0) % buckets;
}

const sequenceOf = (record: StreamRecord) => BigInt(record.dynamodb?.SequenceNumber ?? '0');

/** The real shards of a DescribeStream answer, as presented: parents (ended at the split) and, after it, their children. */
export function presentedShards(layout: StreamShardLayout, shards: ListedShard[]): ListedShard[] {
  return shards.flatMap((shard) => {
    const start = shard.SequenceNumberRange?.StartingSequenceNumber ?? '0';
    const width = start.length;
    const { splitAfter } = layout;
    const parents = Array.from({ length: layout.count }, (_, bucket) => ({
      ShardId: idOf(shard.ShardId, false, bucket),
      ...(shard.ParentShardId ? { ParentShardId: idOf(shard.ParentShardId, false, bucket) } : {}),
      SequenceNumberRange: {
        StartingSequenceNumber: start,
        ...(splitAfter !== undefined ? { EndingSequenceNumber: String(splitAfter).padStart(width, '0') } : {}),
      },
    }));
    if (splitAfter === undefined) return parents;
    // Bucket j of 2n holds the keys of parent bucket j mod n (a hash mod 2n, taken mod n, is the hash mod n).
    const children = Array.from({ length: 2 * layout.count }, (_, bucket) => ({
      ShardId: idOf(shard.ShardId, true, bucket),
      ParentShardId: idOf(shard.ShardId, false, bucket % layout.count),
      SequenceNumberRange: {
        StartingSequenceNumber: String(splitAfter + 1n).padStart(width, '0'),
        ...(shard.SequenceNumberRange?.EndingSequenceNumber
          ? { EndingSequenceNumber: shard.SequenceNumberRange.EndingSequenceNumber }
          : {}),
      },
    }));
    return [...parents, ...children];
  });
}

/** A presented shard's iterator: the real one, and the last real sequence number read through it. */
interface PresentedIterator {
  real: string;
  shardId: string;
  last: string;
}

export const encodeIterator = (iterator: PresentedIterator) => `presented:${Buffer.from(JSON.stringify(iterator)).toString('base64url')}`;

export function decodeIterator(iterator: string): PresentedIterator | undefined {
  if (!iterator.startsWith('presented:')) return undefined;
  return JSON.parse(Buffer.from(iterator.slice('presented:'.length), 'base64url').toString()) as PresentedIterator;
}

/**
 * The real GetShardIterator request for a presented shard's: a child's oldest record is the first
 * after the split. Answers the request and the position the iterator starts after.
 */
export function realIteratorRequest(
  layout: StreamShardLayout,
  request: { ShardId: string; ShardIteratorType: string; SequenceNumber?: string },
): { request: Record<string, unknown>; last: string } {
  const presented = presentedShard(request.ShardId);
  if (!presented) return { request, last: '0' };
  const real = { ...request, ShardId: presented.real };
  if (presented.child && request.ShardIteratorType === 'TRIM_HORIZON' && layout.splitAfter !== undefined) {
    // DynamoDB's sequence numbers are 21 to 40 digits.
    const after = String(layout.splitAfter).padStart(21, '0');
    return { request: { ...real, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }, last: after };
  }
  const last =
    request.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER'
      ? (request.SequenceNumber ?? '0')
      : request.ShardIteratorType === 'AT_SEQUENCE_NUMBER'
        ? String(BigInt(request.SequenceNumber ?? '1') - 1n)
        : '0';
  return { request: real, last };
}

/**
 * A real GetRecords answer, as the presented shard gives it: only its own records; a parent's page
 * ends the shard once the real reading passed the split.
 */
export function presentedPage(
  layout: StreamShardLayout,
  iterator: PresentedIterator,
  page: { Records?: StreamRecord[]; NextShardIterator?: string },
): { Records: StreamRecord[]; NextShardIterator?: string } {
  const presented = presentedShard(iterator.shardId);
  const records = page.Records ?? [];
  if (!presented) return { Records: records, ...(page.NextShardIterator ? { NextShardIterator: page.NextShardIterator } : {}) };
  const { splitAfter } = layout;
  const buckets = presented.child ? 2 * layout.count : layout.count;
  const own = records.filter((record) => {
    const sequence = sequenceOf(record);
    const inRange = splitAfter === undefined || (presented.child ? sequence > splitAfter : sequence <= splitAfter);
    return inRange && bucketOf(layout, record, buckets) === presented.bucket;
  });
  const last = records.length > 0 ? (records[records.length - 1]?.dynamodb?.SequenceNumber ?? iterator.last) : iterator.last;
  const parentEnded = !presented.child && splitAfter !== undefined && BigInt(last) >= splitAfter;
  if (parentEnded || !page.NextShardIterator) return { Records: own };
  return { Records: own, NextShardIterator: encodeIterator({ real: page.NextShardIterator, shardId: iterator.shardId, last }) };
}
