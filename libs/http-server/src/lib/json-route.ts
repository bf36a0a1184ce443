import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler, Router } from 'express';
import type { Logger, Metrics } from '@inventory/observability';
import { sendError } from './error-handler';
import { timeRequest } from './http-metrics';
import { jsonBody, type Middleware } from './json-body';
import { sendJson } from './json-response';
import { methodNotAllowed } from './routing';

/**
 * A hot endpoint that takes a JSON body and answers 200 with JSON, written once and served two
 * ways: directly on node:http for its exact path (any query string), and through Express for
 * other spellings (trailing slash, other case) and for the 405 of other methods. Profiling
 * write-api showed Express's routing and request/response decoration at ~230 µs a request here,
 * more than the HTTP exchange itself; the direct way runs the same middleware without it.
 */
export interface JsonRoute {
  method: 'POST';
  path: string;
  /** Gets the parsed body; `req` carries the request's id and logger. */
  handle: (body: unknown, req: IncomingMessage) => Promise<unknown>;
}

type RequestWithBody = IncomingMessage & { body?: unknown };

/** The route's answer; a handler that throws before its first await rejects like one that throws after. */
async function answerOf(route: JsonRoute, body: unknown, req: IncomingMessage): Promise<unknown> {
  return route.handle(body, req);
}

/** Mounts the route on an Express router: the JSON body parsers, the handler, 405 for other methods. */
export function mountJsonRoute(router: Router, route: JsonRoute): void {
  const handler: RequestHandler = (req, res, next) => {
    answerOf(route, req.body, req).then((answer) => sendJson(res, 200, answer), next);
  };
  router.route(route.path).post(...jsonBody(), handler).all(methodNotAllowed(route.method));
}

/** Runs connect-style middleware in order; `done` gets the first error, or nothing once all called next. */
function runMiddleware(steps: Middleware[], req: IncomingMessage, res: ServerResponse, done: (error?: unknown) => void): void {
  let index = 0;
  const next = (error?: unknown): void => {
    const step = steps[index++];
    if (error !== undefined || !step) return done(error);
    try {
      step(req, res, next);
    } catch (thrown) {
      done(thrown);
    }
  };
  next();
}

export interface DirectRouteOptions {
  /** The app's request logging: ids, `req.log`, access lines; the same instance Express uses. */
  requestLogging: Middleware;
  metrics: Metrics;
  logger: Logger;
}

/**
 * The direct way in: answers requests whose method and exact path match a route and says whether
 * it took the request; the caller hands every other request to Express.
 */
export function directJsonRoutes(routes: JsonRoute[], options: DirectRouteOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const serveByKey = new Map<string, (req: RequestWithBody, res: ServerResponse) => void>(
    routes.map((route) => {
      const steps = [options.requestLogging, ...jsonBody()];
      const serve = (req: RequestWithBody, res: ServerResponse) => {
        timeRequest(options.metrics, req, res, () => route.path);
        runMiddleware(steps, req, res, (error) => {
          if (error !== undefined) return answerError(error, req, res);
          answerOf(route, req.body, req).then(
            (answer) => sendJson(res, 200, answer),
            (failure: unknown) => answerError(failure, req, res),
          );
        });
      };
      return [`${route.method} ${route.path}`, serve];
    }),
  );
  const answerError = (error: unknown, req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) return sendError(error, req, res);
    (req.log ?? options.logger).error({ err: error }, 'request failed after its answer began');
    res.destroy();
  };
  return (req, res) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const serve = serveByKey.get(`${req.method} ${query === -1 ? url : url.slice(0, query)}`);
    serve?.(req, res);
    return serve !== undefined;
  };
}
