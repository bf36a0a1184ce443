/**
 * Generated hostile HTTP requests (fast-check) and what every answer to one must be: never a 5xx,
 * always a JSON error body for a 4xx. Seeded, so a failure replays: FUZZ_SEED=<seed> (and
 * FUZZ_PATH=<path> from fast-check's report) re-runs exactly the failing request.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Agent, request } from 'node:http';
import fc from 'fast-check';

export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

export const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 20261203);
export const FUZZ_PATH = process.env['FUZZ_PATH'];

/** Escapes that do not decode (bad hex, truncated or overlong UTF-8, lone surrogates, %u). */
const MALFORMED_ESCAPES = ['%ZZ', '%E0%A4%A', '%ED%A0%80', '%uFFFF', '%', '%%', '%C0%AF', '%FF', '%F4%90%80%80', '%E2%82'];
const KNOWN_SEGMENTS = ['inventory', 'store', 'update', 'stress', 'restock', 'admin', 'queues', 'health', 'ready', 'metrics', 'sku'];
const IDS = ['store-1', 'store-2', 'SKU-1001', 'storm-1796283547157-4d774a30', '', '.', '..', '%2F', '%00', 'a'.repeat(300)];

const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN_SEGMENTS) },
  { weight: 2, arbitrary: fc.constantFrom(...IDS) },
  { weight: 3, arbitrary: fc.constantFrom(...MALFORMED_ESCAPES) },
  // Printable ASCII as a client may put it on the wire (Node's client refuses spaces and controls).
  { weight: 2, arbitrary: fc.stringMatching(/^[\x21-\x7e]{0,16}$/).map((text) => text.replace(/[?#]/g, '')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }).map((text) => encodeURIComponent(text)) },
);

const path = fc
  .tuple(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom('/inventory/update', '/inventory/store/store-1', '/stress/restock', '/admin/queues', '/health'),
      },
      { weight: 4, arbitrary: fc.array(segment, { minLength: 0, maxLength: 5 }).map((parts) => `/${parts.join('/')}`) },
    ),
    fc.option(
      fc.stringMatching(/^[\x21-\x7e]{0,24}$/).map((query) => query.replace(/#/g, '')),
      { nil: undefined },
    ),
  )
  .map(([pathname, query]) => (query === undefined ? pathname : `${pathname}?${query}`));

const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL');

const validUpdate = fc
  .record({
    store_id: fc.constantFrom('store-1', 'store-2', 'store-fuzz'),
    sku: fc.constantFrom('SKU-1001', 'SKU-1002', 'SKU-FUZZ'),
    quantity: fc.integer({ min: 0, max: 1000 }),
  })
  .map((body) => JSON.stringify(body));

const jsonText = fc.oneof(
  validUpdate,
  fc.json({ maxDepth: 3 }),
  // An update with one field wrong in type, sign, size or shape.
  fc
    .record({
      store_id: fc.oneof(fc.constantFrom('store-1', '', 'a b', '{x}', 'x'.repeat(200)), fc.integer(), fc.constant(null)),
      sku: fc.oneof(fc.constantFrom('SKU-1001', '', 'SKU:1'), fc.double(), fc.constant([])),
      quantity: fc.oneof(fc.integer(), fc.double(), fc.constantFrom('10', -1, 2 ** 53, 1e308, null)),
    })
    .map((body) => JSON.stringify(body)),
);

const rawBody = fc.oneof(
  { weight: 5, arbitrary: jsonText.map((text) => Buffer.from(text)) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(70 * 1024, 'a')) },
);

type Encoding = 'gzip' | 'deflate' | 'br';
const compress = (encoding: Encoding, body: Buffer): Buffer =>
  encoding === 'gzip' ? gzipSync(body) : encoding === 'deflate' ? deflateSync(body) : brotliCompressSync(body);

/** A body and the Content-Encoding it claims: honest, lying, truncated, or unknown. */
const encodedBody = fc.oneof(
  { weight: 6, arbitrary: rawBody.map((body) => ({ body, encoding: undefined as string | undefined })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom<Encoding>('gzip', 'deflate', 'br'), rawBody)
      .map(([encoding, body]) => ({ body: compress(encoding, body), encoding })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom<Encoding>('gzip', 'deflate', 'br'), rawBody, fc.constantFrom('truncated', 'plain'))
      .map(([encoding, body, lie]) => ({ body: lie === 'truncated' ? compress(encoding, body).subarray(0, 5) : body, encoding })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('identity', 'compress', 'gzip, gzip', 'x-unknown', 'GZIP', 'br;q=1'), rawBody)
      .map(([encoding, body]) => ({ body, encoding })),
  },
);

const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/json; charset=x-nonsense',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/vnd.api+json',
    '*/*',
  ),
  { nil: undefined },
);

/** A forged token: a JWT that says `alg: none`, so carries no signature. */
const UNSIGNED_JWT = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x","scope":"inventory/admin"}').toString('base64url')}.`;

/** Mostly the right key (so requests reach the routes behind the guard), else a wrong or malformed credential, or none. */
const authorizationWith = (credential: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(`Bearer ${credential}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'Bearer wrong-token-wrong-token',
        `Bearer invk_0123456789abcdef_${'A'.repeat(43)}`,
        `Bearer ${UNSIGNED_JWT}`,
        'Bearer a.b.c',
        `Bearer ${'x'.repeat(9_000)}`,
        'Basic d3Jvbmc=',
        'Basic OndvcnJvbmc=',
        'Basic !!!',
        'Bearer',
        'Digest x',
        '',
      ),
    },
  );

const acceptEncoding = fc.option(fc.constantFrom('gzip', 'br', 'identity', 'gzip;q=0', '*', 'x'), { nil: undefined });

/**
 * A well-formed, authorised update: the hostile mix alone reaches one about once per 10,000
 * requests, too rarely for the ledger check after the fuzzing to have anything to tell apart.
 */
const wellFormedUpdate = (credential: string): fc.Arbitrary<HostileRequest> =>
  validUpdate.map((text) => ({
    method: 'POST',
    path: '/inventory/update',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: Buffer.from(text),
  }));

const hostileMix = (credential: string): fc.Arbitrary<HostileRequest> =>
  fc
    .record({
      method,
      path,
      contentType,
      authorization: authorizationWith(credential),
      acceptEncoding,
      payload: fc.option(encodedBody, { nil: undefined }),
    })
    .map(({ method: verb, path: target, contentType: type, authorization: auth, acceptEncoding: accept, payload }) => {
      const headers: Record<string, string> = {};
      if (type !== undefined) headers['content-type'] = type;
      if (auth !== undefined) headers['authorization'] = auth;
      if (accept !== undefined) headers['accept-encoding'] = accept;
      if (payload?.encoding !== undefined) headers['content-encoding'] = payload.encoding;
      return { method: verb, path: target, headers, body: payload?.body };
    });

/** Hostile requests to an app whose valid credential is `credential`, with a few well-formed updates among them. */
export const hostileRequests = (credential: string): fc.Arbitrary<HostileRequest> =>
  fc.oneof({ weight: 1, arbitrary: wellFormedUpdate(credential) }, { weight: 49, arbitrary: hostileMix(credential) });

/** Sends one request over `agent`; resolves with the answer (a connection error rejects). */
export async function send(baseUrl: string, agent: Agent, hostile: HostileRequest): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise<Answer>((resolve, reject) => {
    // Framed as every real client frames a body (Node's own client sends a GET's or HEAD's body
    // unframed, which the server can only read as a second, garbled request).
    const headers = hostile.body ? { ...hostile.headers, 'content-length': String(hostile.body.length) } : hostile.headers;
    const req = request({ host: url.hostname, port: url.port, method: hostile.method, path: hostile.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(hostile.body);
  });
}

/** What is wrong with an answer, or undefined: a 5xx, or a 4xx without a JSON error naming its code. */
export function answerProblem(hostile: HostileRequest, answer: Answer): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.body.slice(0, 200)}`;
  if (answer.status < 400 || hostile.method === 'HEAD') return undefined;
  if (!answer.contentType.startsWith('application/json')) return `answered ${answer.status} as ${answer.contentType || 'no content type'}`;
  try {
    const parsed = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code !== 'string' || typeof parsed.error.message !== 'string')
      return `answered ${answer.status} without error.code`;
  } catch {
    return `answered ${answer.status} with a body that is not JSON`;
  }
  return undefined;
}

/** The property every app must hold: each generated request's answer has no problem. */
export function everyAnswerIsSound(
  baseUrl: string,
  agent: Agent,
  credential: string,
  onAnswer: (hostile: HostileRequest, answer: Answer) => void = () => undefined,
) {
  return fc.asyncProperty(hostileRequests(credential), async (hostile) => {
    const answer = await send(baseUrl, agent, hostile);
    onAnswer(hostile, answer);
    const problem = answerProblem(hostile, answer);
    if (problem) throw new Error(`${hostile.method} ${hostile.path}: ${problem}`);
  });
}
