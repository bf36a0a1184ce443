import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Router } from 'express';
import { rfc3339 } from '@inventory/domain/model';
import { type Logger, type Metrics, requestLogging } from '@inventory/shared/observability';
import { serveApiReference } from './api-reference-page';
import { errorHandler } from './error-handler';
import { httpMetrics } from './http-metrics';
import { type DirectRoute, directRoutes, mountDirectRoute } from './direct-route';
import { methodNotAllowed, notFound } from './routing';
import { apiSecurityHeaders } from './security-headers';

/**
 * A dependency `/ready` reports on; `check` resolves when it is reachable. Only a `critical` one
 * that fails makes the pod unready; the others show as degraded.
 */
export interface ReadinessCheck {
  name: string;
  /**
   * A failing critical check takes the pod out of the Service. Shared dependencies (DynamoDB,
   * MemoryDB) are not critical: every pod sees them fail at once, and leaving no pod to answer
   * turns an outage of a part into one of the whole (k8s/README.md#readiness).
   */
  critical: boolean;
  check: () => Promise<unknown>;
}

export interface ServiceAppOptions {
  app: string;
  logger: Logger;
  /** Request metrics, and the registry `/metrics` exposes. */
  metrics: Metrics;
  readinessChecks: ReadinessCheck[];
  /** Set while the process drains on SIGTERM, so readiness fails and the load balancer moves on. */
  isDraining?: () => boolean;
  /** The app's other routes, served through Express. */
  mountRoutes?: (router: Router) => void;
  /** Hot endpoints, served directly for their canonical spelling and through Express otherwise. */
  directRoutes?: DirectRoute[];
  /** The platform's OpenAPI document, served at `GET /openapi.json`, and rendered for people at `GET /docs`. */
  openApiDocument?: Record<string, unknown>;
}

/** A route the app serves: its method and Express path (`/inventory/store/:storeId`). */
export interface ServedRoute {
  method: string;
  path: string;
}

/**
 * What `createServiceApp` builds: a node:http request listener (Express behind it), and the routes
 * it serves, for the OpenAPI contract test to hold against the document.
 */
export type ServiceApp = ((req: IncomingMessage, res: ServerResponse) => void) & {
  routes: ServedRoute[];
  /**
   * The management listener: `/health`, `/ready` and `/metrics`, for the kubelet, the load
   * balancer's health check and Prometheus, served on a port the Ingress does not route to
   * (MANAGEMENT_PORT), so no spelling of those paths reaches them from outside.
   */
  management: (req: IncomingMessage, res: ServerResponse) => void;
  /** What `/ready` checks, by name: the wiring spec compares a test's with production's. */
  readiness: Array<Pick<ReadinessCheck, 'name' | 'critical'>>;
};

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

function servedRoutes(...stacks: RouteLayer[][]): ServedRoute[] {
  return stacks.flatMap((stack) =>
    stack.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods)
            .filter((method) => method !== '_all')
            .map((method) => ({ method, path: (layer.route as { path: string }).path }))
        : [],
    ),
  );
}

const READINESS_TIMEOUT_MS = 1_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `/health` (liveness: the process answers; never depends on Redis or DynamoDB), on both listeners. */
function serveHealth(app: express.Express, name: string): void {
  app
    .route('/health')
    .get((_req, res) => {
      res.json({ status: 'healthy', service: 'inventory-service', app: name, timestamp: rfc3339(new Date()) });
    })
    .all(methodNotAllowed('GET'));
}

/**
 * The management listener: `/health`, `/ready` (readiness: no critical check fails and at least
 * one dependency answers, so the pod can serve something; `degraded` names what it cannot),
 * `/metrics` (Prometheus).
 */
function managementApp(options: ServiceAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  serveHealth(app, options.app);
  app
    .route('/ready')
    .get(async (_req, res) => {
      const results = await Promise.all(
        options.readinessChecks.map(async ({ name, critical, check }) => {
          try {
            await withTimeout(check(), READINESS_TIMEOUT_MS);
            return { name, critical, state: 'ok' };
          } catch (error) {
            // The reason stays in our logs: probes and callers learn which dependency, not its address.
            options.logger.warn({ err: error, dependency: name }, 'readiness check failed');
            return { name, critical, state: 'unavailable' };
          }
        }),
      );
      const draining = options.isDraining?.() ?? false;
      const failing = results.filter(({ state }) => state !== 'ok');
      const nothingAnswers = results.length > 0 && failing.length === results.length;
      const ready = !draining && !nothingAnswers && failing.every(({ critical }) => !critical);
      const status = draining ? 'draining' : !ready ? 'not ready' : failing.length > 0 ? 'degraded' : 'ready';
      res.status(ready ? 200 : 503).json({
        status,
        app: options.app,
        checks: Object.fromEntries(results.map(({ name, state }) => [name, state])),
      });
    })
    .all(methodNotAllowed('GET'));
  app
    .route('/metrics')
    .get(async (_req, res) => {
      const { contentType, body } = await options.metrics.exposition();
      res.type(contentType).send(body);
    })
    .all(methodNotAllowed('GET'));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

/**
 * Builds an app with what every service shares: request ids and access logs, `/health`, request
 * metrics, the app's routes, then JSON 404/405 and the error middleware; and beside it its
 * management listener. Requests for a direct route's canonical path skip Express.
 */
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const app = express();
  app.disable('x-powered-by');
  // Handlers that want ETags compute them once per content change, not per response.
  app.set('etag', false);
  const logging = requestLogging(options.logger);
  app.use(logging);
  app.use(apiSecurityHeaders);
  app.use(httpMetrics(options.metrics));

  // The app's own (hot) routes are matched first; the shared ones come after them.
  const router = express.Router();
  const hotRoutes = options.directRoutes ?? [];
  for (const route of hotRoutes) mountDirectRoute(router, route);
  options.mountRoutes?.(router);
  app.use(router);

  serveHealth(app, options.app);

  if (options.openApiDocument) {
    const document = options.openApiDocument;
    app
      .route('/openapi.json')
      .get((_req, res) => {
        res.json(document);
      })
      .all(methodNotAllowed('GET'));
    serveApiReference(app);
  }

  app.use(notFound);
  app.use(errorHandler);
  const routes = servedRoutes(
    (app as unknown as { router: { stack: RouteLayer[] } }).router.stack,
    (router as unknown as { stack: RouteLayer[] }).stack,
  );
  const readiness = options.readinessChecks.map(({ name, critical }) => ({ name, critical }));
  const management = managementApp(options);
  if (hotRoutes.length === 0) return Object.assign(app, { routes, readiness, management });
  const direct = directRoutes(hotRoutes, { requestLogging: logging, securityHeaders: apiSecurityHeaders, metrics: options.metrics });
  return Object.assign(
    (req: IncomingMessage, res: ServerResponse) => {
      if (!direct(req, res)) app(req, res);
    },
    { routes, readiness, management },
  );
}
