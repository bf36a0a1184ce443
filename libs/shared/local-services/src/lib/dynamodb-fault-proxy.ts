import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { streamEnds } from './read-stream';
import { type LocalService, serveLocally } from './serve-locally';
import {
  decodeIterator,
  encodeIterator,
  presentedPage,
  presentedShards,
  realIteratorRequest,
  type StreamShardLayout,
} from './stream-shards';

/**
 * What the proxy does to one call: answer a throttling error or another of the protocol's errors by
 * name (e.g. `TrimmedDataAccessException`), hold some write requests back, or make the call wait.
 */
export type DynamoDbFault = { throttle: true } | { error: string } | { holdBack: (index: number) => boolean } | { until: Promise<void> };

/** Decides, per call of an operation (1-based count), whether to inject a fault; undefined passes it through. */
export type FaultPlan = (call: number) => DynamoDbFault | undefined;

interface WriteRequest {
  PutRequest?: { Item: Record<string, unknown> };
  DeleteRequest?: { Key: Record<string, unknown> };
}

export interface DynamoDbFaultProxy extends LocalService {
  /** Injects faults into calls of `operation` (e.g. `BatchWriteItem`) from now on. */
  inject: (operation: string, plan: FaultPlan) => void;
  /** Calls of `operation` that reached the proxy. */
  calls: (operation: string) => number;
  /** Every write request DynamoDB itself received and applied, in order, as sent. */
  appliedWrites: WriteRequest[];
  /** When each of `appliedWrites` was answered (ms since the epoch), index for index: a write rate as DynamoDB saw it. */
  appliedWriteTimes: number[];
  /**
   * The endpoint dies: every open connection is reset (calls in flight may or may not have reached
   * DynamoDB) and new ones are refused, until `restore`.
   */
  sever: () => Promise<void>;
  /** The endpoint answers again, on the same port. */
  restore: () => Promise<void>;
  /** From now on every call waits `ms` before it is forwarded: DynamoDB across a network, as a pod in AWS sees it (single-digit ms). */
  latency: (ms: number) => void;
  /** From now on every stream shard is presented as `count` shards, records spread by `partitionKey` (stream-shards.ts). */
  presentShards: (layout: { partitionKey: string; count: number }) => void;
  /**
   * Splits every presented shard after the stream's last record now: each ends there, and two
   * children take the later records. Answers the split's sequence number.
   */
  splitShards: (streamArn: string) => Promise<bigint>;
  /**
   * From now on the stream keeps nothing before `sequenceNumber` (a stream's 24 h passing, as AWS
   * answers it): an iterator asked at or after an older position is `TrimmedDataAccessException`,
   * and `TRIM_HORIZON` starts at `sequenceNumber`. DynamoDB Local's own shards only (no `presentShards`).
   */
  trimStream: (sequenceNumber: string) => void;
}

const THROTTLED = {
  error: 'ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded.',
};

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/**
 * An HTTP proxy in front of a real DynamoDB (Local) that speaks its protocol both ways and injects
 * the answers a busy table gives: `ProvisionedThroughputExceededException`, and BatchWriteItem
 * requests handed back as `UnprocessedItems` (not forwarded, so not written); and, once asked, the
 * table's stream as many shards that split (stream-shards.ts), and a network's latency. Everything
 * else goes through unchanged.
 */
export async function startDynamoDbFaultProxy(upstream: string): Promise<DynamoDbFaultProxy> {
  const plans = new Map<string, FaultPlan>();
  const counts = new Map<string, number>();
  const appliedWrites: WriteRequest[] = [];
  const appliedWriteTimes: number[] = [];

  let layout: StreamShardLayout | undefined;
  let latencyMs = 0;
  /** The stream's oldest kept position, as the stream spells it (zero-padded). */
  let trimHorizon: string | undefined;
  /** A GetShardIterator under the trim: the request to forward, or the error an older position gets. */
  const trimmed = (body: string): { body: string } | { error: string } => {
    if (trimHorizon === undefined) return { body };
    const request = JSON.parse(body) as Record<string, string>;
    if (request['ShardIteratorType'] === 'TRIM_HORIZON')
      return { body: JSON.stringify({ ...request, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: trimHorizon }) };
    const position = request['SequenceNumber'];
    return position !== undefined && BigInt(position) < BigInt(trimHorizon) ? { error: 'TrimmedDataAccessException' } : { body };
  };
  const forwardHeaders = (req: IncomingMessage) =>
    Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)) as [string, string][],
    );

  /** A stream call under a presented layout: the real call made, its answer presented. */
  const presentStream = async (req: IncomingMessage, res: ServerResponse, operation: string, body: string, shown: StreamShardLayout) => {
    const request = JSON.parse(body) as Record<string, string>;
    const call = async (sent: unknown) => {
      const answer = await fetch(upstream, { method: 'POST', headers: forwardHeaders(req), body: JSON.stringify(sent) });
      const text = await answer.text();
      if (!answer.ok) res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0' }).end(text);
      return answer.ok ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    };
    const reply = (result: unknown) => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(result));
    if (operation === 'DescribeStream') {
      const exclusive = request['ExclusiveStartShardId']?.replace(/-[pc]\d+$/, '');
      const result = await call({ ...request, ...(exclusive ? { ExclusiveStartShardId: exclusive } : {}) });
      const description = result?.['StreamDescription'] as { Shards?: Parameters<typeof presentedShards>[1] } | undefined;
      if (description)
        reply({ ...result, StreamDescription: { ...description, Shards: presentedShards(shown, description.Shards ?? []) } });
    } else if (operation === 'GetShardIterator') {
      const { request: real, last } = realIteratorRequest(shown, request as Parameters<typeof realIteratorRequest>[1]);
      const result = await call(real);
      if (result)
        reply({ ShardIterator: encodeIterator({ real: String(result['ShardIterator']), shardId: request['ShardId'] ?? '', last }) });
    } else {
      let iterator = decodeIterator(request['ShardIterator'] ?? '');
      if (!iterator) {
        const result = await call(request);
        if (result) reply(result);
        return;
      }
      // An AWS shard holds only its own keys' records: real pages with none of this shard's are read
      // past, so a presented shard answers an empty page only where the real stream has no more.
      for (;;) {
        const result = await call({ ...request, ShardIterator: iterator.real });
        if (!result) return;
        const page = presentedPage(shown, iterator, result);
        const next = page.NextShardIterator ? decodeIterator(page.NextShardIterator) : undefined;
        if (page.Records.length > 0 || !next || (result['Records'] as unknown[] | undefined)?.length === 0) {
          reply(page);
          return;
        }
        iterator = next;
      }
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const call = (counts.get(operation) ?? 0) + 1;
    counts.set(operation, call);
    let body = await bodyOf(req);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    let fault = plans.get(operation)?.(call);
    if (operation === 'GetShardIterator' && !layout) {
      const trim = trimmed(body);
      if ('error' in trim) fault = trim;
      else body = trim.body;
    }
    const error =
      fault && 'throttle' in fault
        ? THROTTLED
        : fault && 'error' in fault
          ? { error: fault.error, message: `${fault.error} (fault proxy)` }
          : undefined;
    if (error) {
      const answer = { __type: `com.amazonaws.dynamodb.v20120810#${error.error}`, message: error.message };
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(answer));
      return;
    }
    if (fault && 'until' in fault) await fault.until;
    if (layout && ['DescribeStream', 'GetShardIterator', 'GetRecords'].includes(operation)) {
      await presentStream(req, res, operation, body, layout);
      return;
    }
    const held: Record<string, WriteRequest[]> = {};
    const batch = operation === 'BatchWriteItem' ? (JSON.parse(body) as { RequestItems: Record<string, WriteRequest[]> }) : undefined;
    if (batch && fault && 'holdBack' in fault) {
      for (const [table, requests] of Object.entries(batch.RequestItems)) {
        held[table] = requests.filter((_, index) => fault.holdBack(index));
        batch.RequestItems[table] = requests.filter((_, index) => !fault.holdBack(index));
        if (batch.RequestItems[table].length === 0) delete batch.RequestItems[table];
      }
      body = JSON.stringify(batch);
    }
    const headers = forwardHeaders(req);
    const nothingLeft = batch !== undefined && Object.keys(batch.RequestItems).length === 0;
    const answer = nothingLeft ? undefined : await fetch(upstream, { method: 'POST', headers, body });
    let text = answer ? await answer.text() : '{}';
    if (batch && answer?.ok) {
      const result = JSON.parse(text) as { UnprocessedItems?: Record<string, WriteRequest[]> };
      for (const [table, requests] of Object.entries(batch.RequestItems)) {
        const unprocessed = new Set((result.UnprocessedItems?.[table] ?? []).map((request) => JSON.stringify(request)));
        const applied = requests.filter((request) => !unprocessed.has(JSON.stringify(request)));
        appliedWrites.push(...applied);
        const at = Date.now();
        for (let i = 0; i < applied.length; i += 1) appliedWriteTimes.push(at);
      }
      const merged = { ...(result.UnprocessedItems ?? {}) };
      for (const [table, requests] of Object.entries(held))
        if (requests.length > 0) merged[table] = [...(merged[table] ?? []), ...requests];
      text = JSON.stringify({ ...result, UnprocessedItems: merged });
    }
    res.writeHead(answer?.status ?? 200, { 'content-type': answer?.headers.get('content-type') ?? 'application/x-amz-json-1.0' }).end(text);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.writeHead(502).end(String(error)));
  });
  const service = await serveLocally(server, 0, '127.0.0.1');
  return {
    ...service,
    // Clients keep connections alive; close them or the server would wait on them.
    stop: () => {
      server.closeAllConnections();
      return service.stop();
    },
    sever: async () => {
      const closed = service.stop();
      server.closeAllConnections();
      await closed;
    },
    restore: async () => {
      server.listen(service.port, '127.0.0.1');
      await once(server, 'listening');
    },
    inject: (operation, plan) => plans.set(operation, plan),
    latency: (ms) => {
      latencyMs = ms;
    },
    presentShards: ({ partitionKey, count }) => {
      layout = { partitionKey, count };
    },
    splitShards: async (streamArn) => {
      if (!layout) throw new Error('present the shards before splitting them');
      // The split falls after the last record the stream holds now, read through the real protocol.
      const streams = new DynamoDBStreamsClient({
        endpoint: upstream,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      // A shard without records yet still ends after what came before its first.
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      const positions = [
        ...(StreamDescription?.Shards ?? []).map((shard) => BigInt(shard.SequenceNumberRange?.StartingSequenceNumber ?? '1') - 1n),
        ...[...(await streamEnds(streams, streamArn)).ends.values()].map(BigInt),
      ];
      const splitAfter = positions.reduce((latest, position) => (position > latest ? position : latest), 0n);
      streams.destroy();
      layout = { ...layout, splitAfter };
      return splitAfter;
    },
    trimStream: (sequenceNumber) => {
      if (layout) throw new Error('the trim is of DynamoDB Local’s own shards, not presented ones');
      trimHorizon = sequenceNumber;
    },
    calls: (operation) => counts.get(operation) ?? 0,
    appliedWrites,
    appliedWriteTimes,
  };
}
