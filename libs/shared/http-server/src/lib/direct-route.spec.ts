import { ValidationError } from '@inventory/domain/model';
import { createLogger, Metrics } from '@inventory/shared/observability';
import { type RunningServer, startHttpServer } from './http-server';
import { type DirectRoute, jsonRoute } from './direct-route';
import { createServiceApp } from './service-app';

const logger = createLogger({ app: 'test', level: 'silent' });

/**
 * Answers `{ n }` doubled. A non-numeric `n` is the caller's fault and `n: 13` ours, both thrown
 * before any await (as a handler validating up front does); `n: 14` fails ours after one.
 */
const doubling = jsonRoute('/double', (body, req) => {
  const n = (body as { n?: unknown } | undefined)?.n;
  if (typeof n !== 'number') throw new ValidationError('n must be a number', [{ field: 'n', problem: 'must be a number' }]);
  if (n === 13) throw new Error('unlucky internals');
  return n === 14 ? Promise.reject(new Error('later internals')) : Promise.resolve({ doubled: n * 2, request_id: req.id });
});

/** Greets the `:name` of its path; `nobody` is refused. */
const greeting: DirectRoute = {
  method: 'GET',
  path: '/greet/:name',
  handle: async (req, res) => {
    if (req.params['name'] === 'nobody') throw new ValidationError('name must be somebody');
    res.setHeader('Content-Type', 'text/plain');
    res.end(req.method === 'HEAD' ? undefined : `hello ${req.params['name']}`);
  },
};

/** Everything of an answer a client can see, minus what differs per exchange. */
async function visible(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !['date', 'x-request-id', 'keep-alive'].includes(name)));
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, headers, body: { ...body, request_id: typeof body['request_id'] } };
}

describe('direct routes', () => {
  let server: RunningServer;
  let management: RunningServer;
  let base: string;
  const direct = (init: RequestInit) => fetch(`${base}/double`, { method: 'POST', ...init });
  // Another spelling of the same route, which only Express matches (non-strict routing).
  const throughExpress = (init: RequestInit) => fetch(`${base}/double/`, { method: 'POST', ...init });

  beforeAll(async () => {
    const metrics = new Metrics({ app: 'test-app', environment: 'test', enabled: true, logger });
    const app = createServiceApp({ app: 'test-app', logger, metrics, readinessChecks: [], directRoutes: [doubling, greeting] });
    server = await startHttpServer(app, 0, '127.0.0.1');
    management = await startHttpServer(app.management, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server.stop();
    await management.stop();
  });

  const json = { 'content-type': 'application/json' };
  it.each([
    ['a valid body', { headers: json, body: '{"n":21}' }, 200],
    ['malformed JSON', { headers: json, body: '{"n":' }, 400],
    ['a body that is not an object', { headers: json, body: '"n"' }, 400],
    ['a body the handler rejects', { headers: json, body: '{"n":"x"}' }, 400],
    ['another media type', { headers: { 'content-type': 'text/plain' }, body: 'n=1' }, 415],
    ['a body over 64 KB', { headers: json, body: JSON.stringify({ n: 1, pad: 'x'.repeat(70_000) }) }, 413],
    ['one the handler fails on at once', { headers: json, body: '{"n":13}' }, 500],
    ['one the handler fails on later', { headers: json, body: '{"n":14}' }, 500],
  ])('when the body is %s, then the direct way answers %#: exactly what Express answers', async (_name, init, status) => {
    const viaDirect = await visible(await direct(init));
    expect(viaDirect.status).toBe(status);
    expect(viaDirect).toEqual(await visible(await throughExpress(init)));
  });

  it('when served directly, then the answer carries the request id the handler saw, and a query string still matches', async () => {
    const response = await fetch(`${base}/double?source=till`, {
      method: 'POST',
      headers: { ...json, 'x-request-id': 'till-42' },
      body: '{"n":2}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-request-id')).toBe('till-42');
    expect(await response.json()).toEqual({ doubled: 4, request_id: 'till-42' });
  });

  it.each([
    ['a name', '/greet/ada', 200, 'hello ada'],
    ['an encoded name', '/greet/ada%20l', 200, 'hello ada l'],
    ['a name the handler refuses', '/greet/nobody', 400, undefined],
  ])(
    'when a GET route is asked for %s, then the direct way answers what Express answers for the other spelling',
    async (_name, path, status, text) => {
      const viaDirect = await fetch(`${base}${path}`);
      const viaExpress = await fetch(`${base}${path}/`);
      expect(viaDirect.status).toBe(status);
      expect(viaExpress.status).toBe(status);
      const [directBody, expressBody] = [await viaDirect.text(), await viaExpress.text()];
      if (text) expect(directBody).toBe(text);
      expect(directBody.replace(/"request_id":"[^"]*"/, '')).toBe(expressBody.replace(/"request_id":"[^"]*"/, ''));
    },
  );

  it('when a GET route is asked with HEAD, then it answers without a body; other methods get 405 naming GET and HEAD', async () => {
    const head = await fetch(`${base}/greet/ada`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(`${base}/greet/ada`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('when another method is used, then Express answers 405 naming the allowed one', async () => {
    const response = await fetch(`${base}/double`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('when requests went either way, then /metrics times both under the route pattern', async () => {
    const scrape = async () => (await fetch(`http://127.0.0.1:${management.port}/metrics`)).text();
    const count = (text: string) =>
      Number(
        /^http_request_duration_seconds_count\{app="test-app",method="POST",route="\/double",status_code="200"\} (\d+)$/m.exec(text)?.[1] ??
          0,
      );
    const before = count(await scrape());
    await direct({ headers: json, body: '{"n":1}' });
    await throughExpress({ headers: json, body: '{"n":1}' });
    expect(count(await scrape()) - before).toBe(2);
  });
});
