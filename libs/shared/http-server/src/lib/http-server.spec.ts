import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { createLogger, Metrics } from '@inventory/shared/observability';
import { type RunningServer, startHttpServer } from './http-server';
import { createServiceApp } from './service-app';

const logger = createLogger({ app: 'test', level: 'silent' });

/** An app with `/slow`, answering once `release()` is called, beside the shared probes; `entered` once a /slow request is being handled. */
function slowApp() {
  let release = () => undefined as void;
  let enter = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const entered = new Promise<void>((resolve) => (enter = resolve));
  const metrics = new Metrics({ app: 'test-app', environment: 'test', enabled: false, logger });
  const app = createServiceApp({
    app: 'test-app',
    logger,
    metrics,
    readinessChecks: [],
    mountRoutes: (router) =>
      router.get('/slow', async (_req, res) => {
        enter();
        await held;
        res.json({ done: true });
      }),
  });
  return { app, release: () => release(), entered };
}

/** GET over `agent`, answering status, `Connection` header and body. */
async function get(port: number, path: string, agent?: Agent) {
  const req = request({ host: '127.0.0.1', port, path, agent }).end();
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
  let body = '';
  for await (const chunk of res) body += chunk;
  return { status: res.statusCode, connection: res.headers.connection, body };
}

/** Sends raw bytes and answers everything the server wrote back before closing. */
async function raw(port: number, bytes: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.end(bytes);
  let answer = '';
  for await (const chunk of socket) answer += chunk;
  return answer;
}

describe('startHttpServer drain', () => {
  let server: RunningServer;
  afterEach(async () => {
    await server.stop(100, 10).catch(() => undefined);
  });

  it('when stopping with a request in flight, then it completes and the drain ends just after it', async () => {
    const { app, release, entered } = slowApp();
    server = await startHttpServer(app, 0, '127.0.0.1');
    const inFlight = get(server.port, '/slow');
    await entered;

    // A grace far longer than any busy box takes to finish the drain: ending near the answer, not the grace, is the point.
    const stopped = server.stop(60_000, 100).then(() => performance.now());
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    const answer = await inFlight;
    const answeredAt = performance.now();

    expect(answer).toMatchObject({ status: 200, body: '{"done":true}' });
    expect((await stopped) - answeredAt).toBeLessThan(5_000);
  });

  it('when a keep-alive connection is idle at the signal, then it is closed at once, while a request still runs', async () => {
    const { app, release, entered } = slowApp();
    server = await startHttpServer(app, 0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(server.port, '/health', agent)).connection).toBe('keep-alive');
    const [socket] = Object.values(agent.freeSockets).flat();
    const closed = once(socket as NonNullable<typeof socket>, 'close');
    const inFlight = get(server.port, '/slow');
    await entered;
    // Idle longer than the drain's quiet time (100 ms): only such a connection is closed at the signal.
    await new Promise((resolve) => setTimeout(resolve, 150));

    const stopped = server.stop(10_000, 100);
    await closed;
    release();
    expect((await inFlight).status).toBe(200);
    await stopped;
    agent.destroy();
  });

  it('when a request arrives during the drain, then it is served on its kept connection, not refused (a client that keeps sending queues no new connection the listener would reset at its close)', async () => {
    const { app, release, entered } = slowApp();
    server = await startHttpServer(app, 0, '127.0.0.1');
    const inFlight = get(server.port, '/slow');
    await entered;
    const stopped = server.stop(10_000, 100);

    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const late = await get(server.port, '/health', agent);
    const again = await get(server.port, '/health', agent);
    release();
    agent.destroy();

    expect(late).toMatchObject({ status: 200, connection: 'keep-alive' });
    expect(again).toMatchObject({ status: 200, connection: 'keep-alive' });
    expect((await inFlight).status).toBe(200);
    await stopped;
  });

  it('when the process stalls past the quiet time while a request waits unread on a kept connection, then that request is answered, not reset', async () => {
    const { app } = slowApp();
    server = await startHttpServer(app, 0, '127.0.0.1');
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    let answers = '';
    let failure: unknown;
    socket.on('data', (chunk: Buffer) => (answers += chunk.toString()));
    socket.on('error', (error) => (failure = error));
    socket.write('GET /health HTTP/1.1\r\nHost: test\r\n\r\n');
    while (!answers.includes('healthy')) await new Promise((resolve) => setTimeout(resolve, 5));

    // The drain's quiet timer is armed; a request arrives, and the process is busy for longer than it
    // before it reads it, in a callback after the loop's I/O pass: the next pass runs the expired timer
    // first, as a loaded node's does.
    const stopped = server.stop(5_000, 200, 1_000);
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        socket.write('GET /health HTTP/1.1\r\nHost: test\r\n\r\n');
        for (const busyUntil = performance.now() + 400; performance.now() < busyUntil;);
        resolve();
      }),
    );
    await stopped;
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(failure).toBeUndefined();
    expect(answers.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    socket.destroy();
  });

  it('when the drain reaches the last part of its grace, then it takes no new work: a new connection is refused, a request on a kept connection gets 503 SHUTTING_DOWN at once, and the one taken before still finishes', async () => {
    const { app, release, entered } = slowApp();
    server = await startHttpServer(app, 0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(server.port, '/health', agent)).connection).toBe('keep-alive');
    const inFlight = get(server.port, '/slow');
    await entered;

    // Almost all of the grace kept for finishing, so new work is refused soon after the signal; the
    // kept connection is not idle long enough to be closed at the signal.
    const stopped = server.stop(10_000, 5_000, 9_700);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const onKept = await get(server.port, '/health', agent);
    const onNew = await get(server.port, '/health').catch((error: NodeJS.ErrnoException) => error.code);
    release();

    expect(onKept).toMatchObject({ status: 503, connection: 'close' });
    expect(JSON.parse(onKept.body)).toMatchObject({ error: { code: 'SHUTTING_DOWN' } });
    expect(onNew).toBe('ECONNREFUSED');
    expect((await inFlight).status).toBe(200);
    await stopped;
    agent.destroy();
  });

  it('when a request outlives the grace, then the drain ends at the grace all the same', async () => {
    const { app, release, entered } = slowApp();
    server = await startHttpServer(app, 0, '127.0.0.1');
    const inFlight = get(server.port, '/slow').catch((error: NodeJS.ErrnoException) => error.code);
    await entered;

    // The request is held until the spec releases it: the drain can only end by its grace.
    await server.stop(300, 50);

    expect(await inFlight).toBe('ECONNRESET');
    release();
  });
});

describe('startHttpServer unparsable requests', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startHttpServer(slowApp().app, 0, '127.0.0.1');
  });
  afterAll(() => server.stop(100, 10));

  it('when the request line is not HTTP, then a JSON 400 names the problem', async () => {
    const answer = await raw(server.port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'MALFORMED_REQUEST', message: 'the request is not valid HTTP/1.1' },
      request_id: null,
    });
  });

  it('when a request is followed by bytes that do not parse (a body sent unframed), then that request gets its own answer and the connection closes', async () => {
    const { app, release, entered } = slowApp();
    const slow = await startHttpServer(app, 0, '127.0.0.1');
    const socket = connect(slow.port, '127.0.0.1');
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n{"not": "a request"}\r\n\r\n');
    const answer = (async () => {
      let text = '';
      for await (const chunk of socket) text += chunk;
      return text;
    })();
    await entered;
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();

    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain('{"done":true}');
    expect(text).not.toContain('400');
    await slow.stop(100, 10);
  });

  it('when the headers are larger than the parser allows, then a JSON 431', async () => {
    const answer = await raw(server.port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('"code":"HEADERS_TOO_LARGE"');
  });
});
