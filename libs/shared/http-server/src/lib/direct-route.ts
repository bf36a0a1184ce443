import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Router } from 'express';
import type { Metrics } from '@inventory/shared/observability';
import { sendError } from './error-handler';
import { timeRequest } from './http-metrics';
import { jsonBody } from './json-body';
import type { Middleware } from './middleware';
import { sendJson } from './json-response';
import { methodNotAllowed } from './routing';

/** What a direct route's handlers see: a plain node request with the route's params and parsed body. */
export type RouteRequest = IncomingMessage & { params: Record<string, string>; body?: unknown };

/** The last handler of a route: answers, or rejects with the error to answer instead. */
export type RouteHandler = (req: RouteRequest, res: ServerResponse) => Promise<void>;

/**
 * A hot route, written once on plain node:http request/response and served two ways: directly for
 * its canonical spelling (exact path, any query string), and through Express for the others
 * (trailing slash, other case) and for the 405 of other methods. Profiling showed Express's
 * routing and request/response decoration costing more than the HTTP exchange itself
 * (tools/benchmarks/README.md); the direct way runs the same middleware and handler without it.
 */
export interface DirectRoute {
  /** A GET route answers HEAD too, as Express does. */
  method: 'GET' | 'POST';
  /** An Express pattern of literal segments, optionally ending in one `:param` segment. */
  path: string;
  /** Runs before the handler on both ways (e.g. body parsers). */
  middleware?: Middleware[];
  handle: RouteHandler;
}

/**
 * A POST route taking a JSON body and answering 200 with the JSON `answer` resolves to; `before`
 * runs ahead of the body parser (a rate limit refuses before reading the body).
 */
export function jsonRoute(
  path: string,
  answer: (body: unknown, req: RouteRequest) => Promise<unknown>,
  before: Middleware[] = [],
): DirectRoute {
  return {
    method: 'POST',
    path,
    middleware: [...before, ...jsonBody()],
    handle: async (req, res) => sendJson(res, 200, await answer(req.body, req)),
  };
}

/** The route's handler as a promise even when it throws before its first await. */
async function handled(route: DirectRoute, req: RouteRequest, res: ServerResponse): Promise<void> {
  await route.handle(req, res);
}

/** Mounts the route on an Express router, with 405 for the methods it does not serve. */
export function mountDirectRoute(router: Router, route: DirectRoute): void {
  const handler = (req: RouteRequest, res: ServerResponse, next: (error?: unknown) => void) => {
    handled(route, req, res).catch(next);
  };
  const steps = [...(route.middleware ?? []), handler as Middleware];
  const allowed = route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];
  const mounted = router.route(route.path);
  (route.method === 'GET' ? mounted.get(...steps) : mounted.post(...steps)).all(methodNotAllowed(...allowed));
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

/** Splits `/a/b/:id` into its literal prefix and param name; `/a/b` has no param. */
function patternOf(path: string): { prefix: string; param?: string } {
  const match = /^(.*\/):(\w+)$/.exec(path);
  if (match?.[1] && match[2]) return { prefix: match[1], param: match[2] };
  if (path.includes(':')) throw new Error(`direct route ${path}: only one trailing :param is supported`);
  return { prefix: path };
}

/** The route's params when `pathname` is its canonical spelling, else undefined (Express takes it). */
function paramsOf(pattern: { prefix: string; param?: string }, pathname: string): Record<string, string> | undefined {
  if (!pattern.param) return pathname === pattern.prefix ? {} : undefined;
  if (!pathname.startsWith(pattern.prefix)) return undefined;
  const raw = pathname.slice(pattern.prefix.length);
  if (raw === '' || raw.includes('/')) return undefined;
  try {
    return { [pattern.param]: decodeURIComponent(raw) };
  } catch {
    return undefined; // malformed %-encoding: Express answers it
  }
}

export interface DirectRouteOptions {
  /** The app's request logging (ids, `req.log`, access lines): the same instance Express uses. */
  requestLogging: Middleware;
  /** The headers every answer carries, as Express sets them. */
  securityHeaders: Middleware;
  metrics: Metrics;
}

/**
 * The direct way in: serves a request whose method and path are a route's canonical spelling and
 * says whether it did; the caller hands every other request to Express.
 */
export function directRoutes(routes: DirectRoute[], options: DirectRouteOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const served = routes.map((route) => ({
    route,
    pattern: patternOf(route.path),
    steps: [options.requestLogging, options.securityHeaders, ...(route.middleware ?? [])],
  }));
  const answerError = (error: unknown, req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) return sendError(error, req, res);
    req.log.error({ err: error }, 'request failed after its answer began');
    res.destroy();
  };
  return (req, res) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const pathname = query === -1 ? url : url.slice(0, query);
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    for (const { route, pattern, steps } of served) {
      const params = route.method === method ? paramsOf(pattern, pathname) : undefined;
      if (!params) continue;
      const routeReq = Object.assign(req, { params });
      timeRequest(options.metrics, req, res, () => route.path);
      runMiddleware(steps, req, res, (error) => {
        if (error !== undefined) return answerError(error, req, res);
        handled(route, routeReq, res).catch((failure: unknown) => answerError(failure, req, res));
      });
      return true;
    }
    return false;
  };
}
