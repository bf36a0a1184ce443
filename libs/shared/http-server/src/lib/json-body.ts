import express from 'express';
import typeIs from 'type-is';
import { UnsupportedMediaTypeError } from '@inventory/domain/model';
import type { Middleware } from './middleware';

export const JSON_BODY_LIMIT = '64kb';

/**
 * Accepts only `application/json` bodies up to 64 KB, parsed strictly (objects and arrays only);
 * anything else is refused before a handler runs, so nothing is ever half-written. A request with
 * no body at all passes with `req.body` undefined, for handlers whose fields are all optional.
 */
export function jsonBody(): Middleware[] {
  const requireJson: Middleware = (req, _res, next) => {
    // type-is answers null when there is no body, false when the body is of another type. An empty
    // body without a type (what fetch sends for a bodiless POST: `Content-Length: 0`) is no body.
    const empty = req.headers['content-length'] === '0' && req.headers['content-type'] === undefined;
    next(!empty && typeIs(req, ['application/json']) === false ? new UnsupportedMediaTypeError(req.headers['content-type']) : undefined);
  };
  return [requireJson, express.json({ limit: JSON_BODY_LIMIT, strict: true }) as Middleware];
}
