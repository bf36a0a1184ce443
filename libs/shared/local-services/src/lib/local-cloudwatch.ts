import { createServer, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { type LocalService, serveLocally } from './serve-locally';

/** How the stand-in answers: like CloudWatch, with a throttling error, with a server error, or not at all. */
export type CloudWatchBehaviour = 'accept' | 'throttle' | 'fail' | 'hang';

export interface RecordedPutMetricData {
  /** `X-Amz-Target`, e.g. `GraniteServiceVersion20100801.PutMetricData`. */
  target: string;
  /** The request body as JSON (the client's AWS JSON 1.0 protocol), un-gzipped if it came compressed. */
  body: {
    Namespace: string;
    MetricData: Array<{
      MetricName: string;
      Dimensions?: Array<{ Name: string; Value: string }>;
      Unit?: string;
      Values?: number[];
      Counts?: number[];
      Value?: number;
    }>;
  };
  bytes: number;
  answeredWith: CloudWatchBehaviour;
}

export interface LocalCloudWatch extends LocalService {
  /** Every request received, in order, including the ones it refused. */
  requests: RecordedPutMetricData[];
  /** Answers the next `requests` requests (all, when unset) this way, then accepts again. */
  behave: (behaviour: CloudWatchBehaviour, requests?: number) => void;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

/**
 * A stand-in for the CloudWatch API on a local port that records what the real
 * `@aws-sdk/client-cloudwatch` sends it, so tests and benchmarks can see exactly what would reach AWS.
 */
export async function startLocalCloudWatch(port = 0, host = '127.0.0.1'): Promise<LocalCloudWatch> {
  let behaviour: CloudWatchBehaviour = 'accept';
  let remaining = Number.POSITIVE_INFINITY;
  const requests: RecordedPutMetricData[] = [];
  const hanging = new Set<() => void>();
  const server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    if (remaining-- <= 0) behaviour = 'accept';
    requests.push({
      target: String(req.headers['x-amz-target']),
      body: JSON.parse(body.toString('utf8')),
      bytes: body.length,
      answeredWith: behaviour,
    });
    const answer = (status: number, json: object) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': String(requests.length) });
      res.end(JSON.stringify(json));
    };
    if (behaviour === 'accept') answer(200, {});
    else if (behaviour === 'throttle') answer(400, { __type: 'com.amazonaws.cloudwatch#Throttling', message: 'Rate exceeded' });
    else if (behaviour === 'fail') answer(500, { __type: 'com.amazonaws.cloudwatch#InternalServiceFault', message: 'injected fault' });
    else hanging.add(() => res.destroy());
  });
  const service = await serveLocally(server, port, host);
  return {
    ...service,
    requests,
    behave: (next, requests = Number.POSITIVE_INFINITY) => {
      behaviour = next;
      remaining = requests;
    },
    stop: () => {
      for (const release of hanging) release();
      server.closeAllConnections();
      return service.stop();
    },
  };
}
