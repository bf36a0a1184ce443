import { Writable } from 'node:stream';
import express from 'express';
import { createLogger } from './logger';
import { requestLogging } from './request-logging';

function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, stream };
}

async function serve(app: express.Express, run: (url: string) => Promise<void>) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  try {
    await run(`http://127.0.0.1:${port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('requestLogging', () => {
  it('when a request comes without an id, then one is made, echoed, and on every log line of it', async () => {
    const { lines, stream } = capture();
    const app = express();
    app.use(requestLogging(createLogger({ app: 'test', level: 'debug', destination: stream })));
    app.get('/x', (req, res) => {
      req.log.info('handling');
      res.json({});
    });

    await serve(app, async (url) => {
      const response = await fetch(`${url}/x`);
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines.map((line) => line['request_id'])).toEqual([id, id]);
      expect(lines[0]).toMatchObject({ level: 'info', service: 'inventory-service', app: 'test', msg: 'handling' });
      expect(lines[1]).toMatchObject({ level: 'debug', msg: 'request completed', res: { status: 200 } });
    });
  });

  it('when logging at info, then a failed request is logged with its status and a successful one is not', async () => {
    const { lines, stream } = capture();
    const app = express();
    app.use(requestLogging(createLogger({ app: 'test', level: 'info', destination: stream })));
    app.get('/ok', (_req, res) => res.json({}));
    app.get('/missing', (_req, res) => res.status(404).json({}));

    await serve(app, async (url) => {
      await fetch(`${url}/ok`);
      await fetch(`${url}/missing`);
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'warn', req: { method: 'GET', url: '/missing' }, res: { status: 404 } });
    });
  });

  it('when the caller sends a sane id, then it is kept; when it sends junk, then a new one is made', async () => {
    const { stream } = capture();
    const app = express();
    app.use(requestLogging(createLogger({ app: 'test', level: 'info', destination: stream })));
    app.get('/x', (_req, res) => res.json({}));

    await serve(app, async (url) => {
      const kept = await fetch(`${url}/x`, { headers: { 'x-request-id': 'pos-17.abc' } });
      expect(kept.headers.get('x-request-id')).toBe('pos-17.abc');
      const replaced = await fetch(`${url}/x`, { headers: { 'x-request-id': 'bad id {with} spaces' } });
      expect(replaced.headers.get('x-request-id')).not.toBe('bad id {with} spaces');
    });
  });

  it('when the client hangs up before the answer, then one error line says so, with the request id', async () => {
    const { lines, stream } = capture();
    const app = express();
    app.use(requestLogging(createLogger({ app: 'test', level: 'info', destination: stream })));
    let hungUp!: () => void;
    const closed = new Promise<void>((resolve) => (hungUp = resolve));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    app.get('/slow', (_req, res) => {
      entered();
      res.once('close', () => setImmediate(hungUp));
    });

    await serve(app, async (url) => {
      const abort = new AbortController();
      const answered = fetch(`${url}/slow`, { signal: abort.signal, headers: { 'x-request-id': 'till-9' } }).catch(
        (error: Error) => error.name,
      );
      // Hung up once the request is being handled: before that there is nothing to log.
      await inHandler;
      abort.abort();
      expect(await answered).toBe('AbortError');
      await closed;
      expect(lines).toEqual([
        expect.objectContaining({
          level: 'error',
          request_id: 'till-9',
          msg: 'request aborted before the answer was sent',
          req: expect.objectContaining({ url: '/slow' }),
        }),
      ]);
    });
  });
});
