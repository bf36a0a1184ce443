import type { RequestHandler } from 'express';
import { excerpt, MethodNotAllowedError, NotFoundError } from '@inventory/domain/model';

/** Put last on a route: any method the route does not serve answers 405 with `Allow`. */
export function methodNotAllowed(...allowed: string[]): RequestHandler {
  return (req, _res, next) => next(new MethodNotAllowedError(req.method, req.path, allowed));
}

export const notFound: RequestHandler = (req, _res, next) =>
  next(new NotFoundError(`no route for ${excerpt(req.method, 16)} ${excerpt(req.path)}`));
