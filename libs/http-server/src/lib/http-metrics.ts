import type { RequestHandler } from 'express';
import type { Metrics } from '@inventory/observability';

/**
 * Times every request into `http_request_duration_seconds` by method, route pattern (never the
 * raw path: store ids would make one series per store) and status.
 */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : req.baseUrl || 'unmatched';
      metrics.httpRequest(req.method, route, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
