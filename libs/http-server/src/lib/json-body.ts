import express, { type RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from '@inventory/domain';

export const JSON_BODY_LIMIT = '64kb';

/**
 * Accepts only `application/json` bodies up to 64 KB, parsed strictly (objects and arrays only);
 * anything else is refused before a handler runs, so nothing is ever half-written. A request with
 * no body at all passes with `req.body` undefined, for handlers whose fields are all optional.
 */
export function jsonBody(): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    // `req.is` answers null when there is no body, false when the body is of another type.
    next(req.is('application/json') === false ? new UnsupportedMediaTypeError(req.headers['content-type']) : undefined);
  };
  return [requireJson, express.json({ limit: JSON_BODY_LIMIT, strict: true })];
}
