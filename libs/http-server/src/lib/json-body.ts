import express, { type RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from '@inventory/domain';

export const JSON_BODY_LIMIT = '64kb';

/**
 * Accepts only `application/json` bodies up to 64 KB, parsed strictly (objects and arrays only);
 * anything else is refused before a handler runs, so nothing is ever half-written.
 */
export function jsonBody(): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    next(req.is('application/json') ? undefined : new UnsupportedMediaTypeError(req.headers['content-type']));
  };
  return [requireJson, express.json({ limit: JSON_BODY_LIMIT, strict: true })];
}
