import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Metrics } from '@inventory/shared/observability';

/** Times one exchange into `http_request_duration_seconds` once it is answered; `routeOf` names its route pattern then. */
export function timeRequest(metrics: Metrics, req: IncomingMessage, res: ServerResponse, routeOf: () => string): void {
  const started = process.hrtime.bigint();
  res.once('finish', () =>
    metrics.httpRequest(req.method ?? '', routeOf(), res.statusCode, Number(process.hrtime.bigint() - started) / 1e9),
  );
}

/**
 * Times every request into `http_request_duration_seconds` by method, route pattern (never the
 * raw path: store ids would make one series per store) and status.
 */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    timeRequest(metrics, req, res, () => (req.route ? `${req.baseUrl}${String(req.route.path)}` : req.baseUrl || 'unmatched'));
    next();
  };
}
