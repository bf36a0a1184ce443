import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import {
  AppError,
  MalformedJsonError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '@inventory/domain/model';
import { sendJson } from './json-response';

/** body-parser reports its failures as errors with a `type`; these are the caller's fault. */
interface BodyParserError extends Error {
  type?: string;
  limit?: number;
  status?: number;
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const parserError = error as BodyParserError;
  switch (parserError?.type) {
    case 'entity.parse.failed':
      return new MalformedJsonError(parserError.message);
    case 'entity.too.large':
      return new PayloadTooLargeError(`${Math.round((parserError.limit ?? 0) / 1024)} KB`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(parserError.message);
    case 'request.aborted':
      return new AppError(400, 'REQUEST_ABORTED', 'the request body was not received in full');
    default:
      return undefined;
  }
}

/** The one place errors become HTTP answers: 4xx name the caller's problem, 5xx hide ours. */
export function sendError(error: unknown, req: IncomingMessage, res: ServerResponse): void {
  const appError = toAppError(error);
  const requestId = String(req.id ?? '');
  if (!appError) {
    req.log.error({ err: error }, 'request failed');
    sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' }, request_id: requestId });
    return;
  }
  if (appError instanceof MethodNotAllowedError) res.setHeader('Allow', appError.allowed.join(', '));
  if (appError.status >= 500) req.log.error({ err: appError }, appError.message);
  const details = appError.details.length > 0 ? { details: appError.details } : {};
  sendJson(res, appError.status, { error: { code: appError.code, message: appError.message, ...details }, request_id: requestId });
}

/** Express's error middleware: `sendError`, unless the answer is already on its way. */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  sendError(error, req, res);
};
