import { once } from 'node:events';
import { request } from 'node:http';
import { createLogger, Metrics } from '@inventory/shared/observability';
import { startHttpServer } from './http-server';
import { createServiceApp, type ReadinessCheck } from './service-app';

const logger = createLogger({ app: 'test', level: 'silent' });

function serviceWith(readinessChecks: ReadinessCheck[], routes: Parameters<typeof createServiceApp>[0]['mountRoutes'] = () => undefined) {
  const metrics = new Metrics({ app: 'test-app', environment: 'test', enabled: true, logger });
  return createServiceApp({ app: 'test-app', logger, metrics, readinessChecks, mountRoutes: routes });
}

describe('createServiceApp', () => {
  it('when a critical dependency fails, then /ready is 503 naming it', async () => {
    const server = await startHttpServer(
      serviceWith([
        { name: 'db', critical: true, check: () => Promise.reject(new Error('refused')) },
        { name: 'cache', critical: false, check: () => Promise.resolve() },
      ]),
      0,
      '127.0.0.1',
    );
    const response = await fetch(`http://127.0.0.1:${server.port}/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'not ready', app: 'test-app', checks: { db: 'unavailable: refused', cache: 'ok' } });
    await server.stop();
  });

  it('when only a non-critical dependency hangs, then /ready answers 200 degraded within the probe timeout', async () => {
    const server = await startHttpServer(
      serviceWith([{ name: 'cache', critical: false, check: () => new Promise(() => undefined) }]),
      0,
      '127.0.0.1',
    );
    const response = await fetch(`http://127.0.0.1:${server.port}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'degraded', checks: { cache: 'unavailable: no answer within 1000 ms' } });
    await server.stop();
  });

  it('when requests were served, then /metrics times them by route pattern and status, not by raw path', async () => {
    const server = await startHttpServer(
      serviceWith([], (router) => router.get('/things/:id', (_req, res) => res.json({}))),
      0,
      '127.0.0.1',
    );
    const base = `http://127.0.0.1:${server.port}`;
    await fetch(`${base}/things/a`);
    await fetch(`${base}/things/b`);
    await fetch(`${base}/nowhere`);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await response.text();
    expect(body).toMatch(/^http_request_duration_seconds_count\{app="test-app",method="GET",route="\/things\/:id",status_code="200"\} 2$/m);
    expect(body).toMatch(/^http_request_duration_seconds_count\{app="test-app",method="GET",route="unmatched",status_code="404"\} 1$/m);
    expect(body).not.toMatch(/things\/a/);
    await server.stop();
  });

  it('when a handler fails unexpectedly, then the answer is a 500 that hides the cause', async () => {
    const server = await startHttpServer(
      serviceWith([], (router) => router.get('/boom', () => Promise.reject(new Error('secret detail')))),
      0,
      '127.0.0.1',
    );
    const response = await fetch(`http://127.0.0.1:${server.port}/boom`);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(body).not.toContain('secret');
    await server.stop();
  });
});

describe('startHttpServer stop', () => {
  it('when stopping with a request in flight, then that request still completes and new connections are refused', async () => {
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = await startHttpServer(
      serviceWith([], (router) =>
        router.get('/slow', async (_req, res) => {
          await held;
          res.json({ done: true });
        }),
      ),
      0,
      '127.0.0.1',
    );
    const inFlight = fetch(`http://127.0.0.1:${server.port}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const stopped = server.stop(5_000);
    const refused = request(`http://127.0.0.1:${server.port}/health`).end();
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    release();

    expect(error.code).toBe('ECONNREFUSED');
    expect(await (await inFlight).json()).toEqual({ done: true });
    await stopped;
  });
});
