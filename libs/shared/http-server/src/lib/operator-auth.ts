import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '@inventory/domain/model';
import type { RateLimit } from './rate-limiter';

/** Equal-length digests compared in constant time: neither the token's content nor its length leaks. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The secret a request presents: a Bearer token, or the password of Basic `user:token` credentials (browsers). */
function presentedSecret(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

export interface OperatorAuthOptions {
  token: string | undefined;
  /** Counts wrong credentials per source: past the limit, that source gets 429 until it cools down. */
  failures?: RateLimit;
}

/**
 * Guards operator tools (the storm trigger, the queue dashboard) with OPERATOR_TOKEN. Without a
 * configured token they stay shut; a browser is asked for Basic credentials (any user name).
 * A source that keeps presenting wrong credentials is refused with 429 before its next guess is
 * even compared.
 */
export function requireOperator({ token, failures }: OperatorAuthOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      await failures?.check(req);
      const secret = presentedSecret(req.headers.authorization);
      if (token && secret !== undefined && sameSecret(secret, token)) return next();
      await failures?.consume(req);
      res.setHeader('WWW-Authenticate', 'Basic realm="inventory operators", charset="UTF-8"');
      next(
        new UnauthorizedError(
          token ? 'operator credentials are missing or wrong' : 'operator endpoints are disabled: OPERATOR_TOKEN is not set',
        ),
      );
    } catch (error) {
      next(error);
    }
  };
}
