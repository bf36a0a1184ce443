import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Level, Logger } from 'pino';
import { runInRequest } from './request-context';

declare module 'node:http' {
  interface IncomingMessage {
    /** This request's id, as sent back in `X-Request-Id`. */
    id: string;
    /** A logger whose every line carries `request_id`. */
    log: Logger;
  }
}

export const REQUEST_ID_HEADER = 'x-request-id';
const TRUSTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Probes and scrapes: frequent, and told apart by their own metrics. */
const UNLOGGED_PATHS = new Set(['/health', '/ready', '/metrics']);

/** Keeps a caller's (or the load balancer's) request id when it is sane, else makes one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && TRUSTED_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Successes are routine (`debug`); client errors `warn`; our failures and hang-ups mid-answer stand out. */
function accessLogLevel(res: ServerResponse): Level {
  if (!res.writableFinished || res.statusCode >= 500) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'debug';
}

/**
 * Express middleware: gives every request an id (echoed in `X-Request-Id`), a child logger
 * `req.log` whose lines all carry `request_id`, and one access-log line when the exchange ends.
 * Not pino-http: it serializes every request into a second child logger up front, even when
 * nothing is logged, a cost profiling showed on every small request (tools/benchmarks/README.md).
 */
export function requestLogging(logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    req.id = requestIdOf(req);
    res.setHeader(REQUEST_ID_HEADER, req.id);
    req.log = logger.child({ request_id: req.id });
    if (!UNLOGGED_PATHS.has(req.url ?? '')) {
      const started = performance.now();
      // 'close' comes after 'finish', and alone when the client hung up before the answer was sent.
      res.once('close', () => {
        const level = accessLogLevel(res);
        if (!req.log.isLevelEnabled(level)) return;
        req.log[level](
          {
            req: { method: req.method, url: req.url, user_agent: req.headers['user-agent'] },
            res: { status: res.statusCode },
            response_time_ms: Math.round(performance.now() - started),
          },
          res.writableFinished ? 'request completed' : 'request aborted before the answer was sent',
        );
      });
    }
    // Everything the request sets off, however detached, runs knowing its id (see request-context.ts).
    runInRequest(req.id, next);
  };
}
