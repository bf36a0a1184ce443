import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '@inventory/domain/model';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The secret a request presents: a Bearer token, or the password of Basic credentials (browsers). */
function presentedSecret(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return undefined;
}

/**
 * Guards operator tools (the storm trigger, the queue dashboard) with OPERATOR_TOKEN. Without a
 * configured token they stay shut; a browser is asked for Basic credentials (any user name).
 */
export function requireOperator(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    const secret = presentedSecret(req.headers.authorization);
    if (token && secret !== undefined && sameSecret(secret, token)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="inventory operators", charset="UTF-8"');
    next(
      new UnauthorizedError(
        token ? 'operator credentials are missing or wrong' : 'operator endpoints are disabled: OPERATOR_TOKEN is not set',
      ),
    );
  };
}
