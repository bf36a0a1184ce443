import { createLogger, Metrics } from '@inventory/shared/observability';
import { startHttpServer } from './http-server';
import { createServiceApp, type ReadinessCheck, type ServiceAppOptions } from './service-app';
import { jsonRoute } from './direct-route';

const logger = createLogger({ app: 'test', level: 'silent' });

function serviceWith(
  readinessChecks: ReadinessCheck[],
  routes: ServiceAppOptions['mountRoutes'] = () => undefined,
  directRoutes: ServiceAppOptions['directRoutes'] = [],
) {
  const metrics = new Metrics({ app: 'test-app', environment: 'test', enabled: true, logger });
  return createServiceApp({ app: 'test-app', logger, metrics, readinessChecks, mountRoutes: routes, directRoutes });
}

describe('createServiceApp', () => {
  it('when a critical dependency fails, then /ready is 503 naming it, without its address', async () => {
    const server = await startHttpServer(
      serviceWith([
        { name: 'db', critical: true, check: () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:8000')) },
        { name: 'cache', critical: false, check: () => Promise.resolve() },
      ]).management,
      0,
      '127.0.0.1',
    );
    const response = await fetch(`http://127.0.0.1:${server.port}/ready`);
    expect(response.status).toBe(503);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ status: 'not ready', app: 'test-app', checks: { db: 'unavailable', cache: 'ok' } });
    expect(body).not.toMatch(/10\.1\.2\.3|ECONNREFUSED/);
    await server.stop();
  });

  it('when only a non-critical dependency hangs, then /ready answers 200 degraded within the probe timeout', async () => {
    const server = await startHttpServer(
      serviceWith([
        { name: 'cache', critical: false, check: () => new Promise(() => undefined) },
        { name: 'db', critical: false, check: () => Promise.resolve() },
      ]).management,
      0,
      '127.0.0.1',
    );
    const response = await fetch(`http://127.0.0.1:${server.port}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'degraded', checks: { cache: 'unavailable', db: 'ok' } });
    await server.stop();
  });

  it('when every dependency fails, none of them critical, then /ready is 503: the pod can serve nothing', async () => {
    const server = await startHttpServer(
      serviceWith([
        { name: 'cache', critical: false, check: () => Promise.reject(new Error('down')) },
        { name: 'db', critical: false, check: () => Promise.reject(new Error('down')) },
      ]).management,
      0,
      '127.0.0.1',
    );
    const response = await fetch(`http://127.0.0.1:${server.port}/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'not ready', checks: { cache: 'unavailable', db: 'unavailable' } });
    await server.stop();
  });

  it('when requests were served, then /metrics times them by route pattern and status, not by raw path', async () => {
    const app = serviceWith([], (router) => router.get('/things/:id', (_req, res) => res.json({})));
    const server = await startHttpServer(app, 0, '127.0.0.1');
    const management = await startHttpServer(app.management, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${server.port}`;
    await fetch(`${base}/things/a`);
    await fetch(`${base}/things/b`);
    await fetch(`${base}/nowhere`);
    const response = await fetch(`http://127.0.0.1:${management.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await response.text();
    expect(body).toMatch(/^http_request_duration_seconds_count\{app="test-app",method="GET",route="\/things\/:id",status_code="200"\} 2$/m);
    expect(body).toMatch(/^http_request_duration_seconds_count\{app="test-app",method="GET",route="unmatched",status_code="404"\} 1$/m);
    expect(body).not.toMatch(/things\/a/);
    await server.stop();
    await management.stop();
  });

  it('when /ready or /metrics is asked of the API port in any spelling, then 404; the management port answers them and nothing else', async () => {
    const app = serviceWith([]);
    const server = await startHttpServer(app, 0, '127.0.0.1');
    const management = await startHttpServer(app.management, 0, '127.0.0.1');
    const status = async (port: number, path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).status;
    try {
      for (const path of ['/ready', '/ready/', '/READY', '/metrics', '/metrics/', '/METRICS', '/Metrics?x=1'])
        expect({ path, status: await status(server.port, path) }).toEqual({ path, status: 404 });
      expect(await status(server.port, '/health')).toBe(200);
      for (const path of ['/ready', '/metrics', '/health'])
        expect({ path, status: await status(management.port, path) }).toEqual({ path, status: 200 });
      expect(await status(management.port, '/inventory/store/store-1')).toBe(404);
    } finally {
      await server.stop();
      await management.stop();
    }
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

describe('security headers', () => {
  it('when anything is answered (a direct route, an Express route, a 404, a malformed path), then it carries the API security headers and no X-Powered-By', async () => {
    const server = await startHttpServer(serviceWith([], undefined, [jsonRoute('/direct', async () => ({ ok: true }))]), 0, '127.0.0.1');
    const base = `http://127.0.0.1:${server.port}`;
    const answers = await Promise.all([
      fetch(`${base}/direct`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      fetch(`${base}/health`),
      fetch(`${base}/nothing-here`),
      fetch(`${base}/direct/%ZZ`),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 404, 404]);
    for (const answer of answers) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(answer.headers.get('x-powered-by')).toBeNull();
    }
    await server.stop();
  });

  it('when a path parameter holds a malformed %-escape, then 400 MALFORMED_PATH, without echoing it', async () => {
    const server = await startHttpServer(
      serviceWith([], (router) => router.get('/items/:id', (req, res) => res.json({ id: req.params['id'] }))),
      0,
      '127.0.0.1',
    );
    for (const escape of ['%ZZ', '%E0%A4%A', '%ED%A0%80', '%uFFFF']) {
      const answer = await fetch(`http://127.0.0.1:${server.port}/items/${escape}`);
      expect(answer.status).toBe(400);
      const body = await answer.text();
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'MALFORMED_PATH', message: 'the path contains a malformed %-escape' } });
      expect(body).not.toContain(escape);
    }
    await server.stop();
  });
});
