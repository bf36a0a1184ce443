import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { STATUS_CODES } from 'node:http';
import {
  AppError,
  DependencyUnavailableError,
  ForbiddenError,
  excerpt,
  MalformedBodyError,
  MalformedJsonError,
  MalformedPathError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
  UnauthorizedError,
} from '@inventory/domain/model';
import { sendJson } from './json-response';

/**
 * What Express, its router and body-parser throw: http-errors with a `status` (and, from
 * body-parser, a `type`), or the zlib error of a body that does not decompress (`code` Z_…).
 */
interface HttpLayerError extends Error {
  type?: string;
  limit?: number;
  status?: number;
  statusCode?: number;
  code?: string;
}

const CALLER_STATUS = (status: unknown): status is number =>
  Number.isInteger(status) && (status as number) >= 400 && (status as number) < 500;

function toAppError(error: unknown, req: IncomingMessage): AppError | undefined {
  if (error instanceof AppError) return error;
  const layerError = error as HttpLayerError;
  switch (layerError?.type) {
    case 'entity.parse.failed':
      return new MalformedJsonError(excerpt(layerError.message, 100));
    case 'entity.too.large':
      return new PayloadTooLargeError(`${Math.round((layerError.limit ?? 0) / 1024)} KB`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(layerError.message);
    case 'request.aborted':
      return new AppError(400, 'REQUEST_ABORTED', 'the request body was not received in full');
  }
  // The router's decoding of a path parameter (`%ZZ`, a lone surrogate).
  if (layerError instanceof URIError) return new MalformedPathError();
  if (layerError?.code?.startsWith('Z_')) return new MalformedBodyError(String(req.headers['content-encoding'] ?? ''));
  // Any other error that carries its own 4xx is the caller's: honour it, without echoing input.
  const status = layerError?.status ?? layerError?.statusCode;
  if (CALLER_STATUS(status)) {
    const name = STATUS_CODES[status] ?? 'Bad Request';
    return new AppError(status, name.toUpperCase().replace(/[^A-Z]+/g, '_'), name.toLowerCase());
  }
  return undefined;
}

/** RFC 6750's challenge: no error code when no credential was sent, else the code and what is wrong. */
function bearerChallenge(error: string | undefined, description: string): string {
  const quoted = (value: string) => `"${value.replace(/[\\"]/g, '')}"`;
  return error ? `Bearer realm="inventory", error="${error}", error_description=${quoted(description)}` : 'Bearer realm="inventory"';
}

/** The one place errors become HTTP answers: 4xx name the caller's problem, 5xx hide ours. */
export function sendError(error: unknown, req: IncomingMessage, res: ServerResponse): void {
  const appError = toAppError(error, req);
  const requestId = String(req.id ?? '');
  if (!appError) {
    req.log.error({ err: error }, 'request failed');
    sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' }, request_id: requestId });
    return;
  }
  if (appError instanceof MethodNotAllowedError) res.setHeader('Allow', appError.allowed.join(', '));
  if (appError instanceof DependencyUnavailableError || appError instanceof TooManyRequestsError) {
    res.setHeader('Retry-After', String(appError.retryAfterSeconds));
  }
  if (appError instanceof UnauthorizedError) {
    const bearer = bearerChallenge(appError.bearerError, appError.message);
    // A browser opening an operator page asks for HTML and understands only Basic: offer it too, so
    // it prompts for the key. API callers (no text/html) never get a prompt-raising challenge.
    const browser = /\btext\/html\b/.test(String(req.headers.accept ?? ''));
    res.setHeader('WWW-Authenticate', browser ? [bearer, 'Basic realm="inventory", charset="UTF-8"'] : bearer);
  }
  if (appError instanceof ForbiddenError && 'permission' in appError.extra)
    res.setHeader('WWW-Authenticate', bearerChallenge('insufficient_scope', appError.message));
  if (appError.status >= 500) req.log.error({ err: appError }, appError.message);
  const details = appError.details.length > 0 ? { details: appError.details } : {};
  sendJson(res, appError.status, {
    error: { code: appError.code, message: appError.message, ...details, ...appError.extra },
    request_id: requestId,
  });
}

/** Express's error middleware: `sendError`, unless the answer is already on its way. */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  sendError(error, req, res);
};
