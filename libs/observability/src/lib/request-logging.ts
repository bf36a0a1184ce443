import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pinoHttp from 'pino-http';
import type { Logger } from 'pino';

export const REQUEST_ID_HEADER = 'x-request-id';
const TRUSTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's (or the load balancer's) request id when it is sane, else makes one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && TRUSTED_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Express middleware: gives every request an id (echoed in `X-Request-Id`), a child logger
 * `req.log` whose lines all carry `request_id`, and one access-log line when the answer is sent.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdOf(req);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    // Handlers' `req.log` lines carry just the request id, not the whole request each time.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'request_id' },
    // Failures are logged at warn/error; successes at debug (LOG_LEVEL=debug shows every request).
    // On the hot read path an info line per answer cost ~15% of query-api's CPU, and the ALB's
    // access logs and the request metrics already account for every request.
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
    // Probes hit every few seconds per pod: logging them drowns real traffic.
    autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/ready' || req.url === '/metrics' },
    serializers: {
      req: (req) => ({ method: req.method, url: req.url, user_agent: req.headers['user-agent'] }),
      res: (res) => ({ status: res.statusCode }),
    },
  });
}
