/** A problem with a field of the caller's input, as reported in a 4xx answer. */
export interface FieldProblem {
  field: string;
  problem: string;
}

/**
 * The one error hierarchy of the platform: every error that should reach a caller carries its
 * HTTP status and a stable code; anything else is our fault and answers 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    /** More fields of the answer's `error` object (e.g. a conflict's `current` item). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: FieldProblem[] = []) {
    super(400, 'VALIDATION_FAILED', message, details);
  }
}

/**
 * Caller input as an error message may show it: at most `max` characters (enough to recognise,
 * never the whole of a huge or hostile value), control characters escaped.
 */
export function excerpt(input: string, max = 40): string {
  const clipped = input.length > max ? `${input.slice(0, max)}…` : input;
  return JSON.stringify(clipped).slice(1, -1);
}

export class MalformedJsonError extends AppError {
  constructor(reason: string) {
    super(400, 'MALFORMED_JSON', `request body is not valid JSON: ${reason}`);
  }
}

export class MalformedPathError extends AppError {
  constructor() {
    super(400, 'MALFORMED_PATH', 'the path contains a malformed %-escape');
  }
}

export class MalformedBodyError extends AppError {
  constructor(encoding: string) {
    super(400, 'MALFORMED_BODY', `request body does not decode as its Content-Encoding (${excerpt(encoding, 16)})`);
  }
}

/**
 * No credential, or one we cannot accept: 401 with `WWW-Authenticate: Bearer` and its RFC 6750
 * error code (`invalid_request`, `invalid_token`; none when no credential was sent).
 */
export class UnauthorizedError extends AppError {
  constructor(
    message = 'credentials are missing or wrong',
    readonly bearerError?: 'invalid_request' | 'invalid_token',
  ) {
    super(401, 'UNAUTHORIZED', message);
  }
}

/** An authenticated caller without the permission, or the store, a request needs. Nothing was done. */
export class ForbiddenError extends AppError {
  constructor(message: string, extra: { permission: string } | { stores: string[] }) {
    super(403, 'FORBIDDEN', message, [], extra);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, 'NOT_FOUND', message);
  }
}

export class MethodNotAllowedError extends AppError {
  constructor(
    method: string,
    path: string,
    readonly allowed: string[],
  ) {
    super(405, 'METHOD_NOT_ALLOWED', `${excerpt(method, 16)} is not allowed on ${excerpt(path)}; use ${allowed.join(', ')}`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, 'CONFLICT', message);
  }
}

/** A stock write refused because of what is stored; `current` is the stored item (apps/README.md#stock-movements). */
export class StockConflictError extends AppError {
  constructor(code: 'INSUFFICIENT_STOCK' | 'STALE_QUANTITY' | 'QUANTITY_OVER_LIMIT', message: string, current: unknown) {
    super(409, code, message, [], { current });
  }
}

export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request');
  }
}

export class IdempotencyKeyInUseError extends AppError {
  constructor() {
    super(409, 'IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still being applied; retry shortly');
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: string) {
    super(413, 'PAYLOAD_TOO_LARGE', `request body is larger than the ${limit} limit`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(got: string | undefined) {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json${got ? ` (got ${excerpt(got)})` : ' (none was sent)'}`);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, 'SERVICE_UNAVAILABLE', message);
  }
}

/**
 * A dependency we cannot do without is down or too slow: our fault, not the caller's, and worth
 * retrying after `retryAfterSeconds` (sent as `Retry-After`).
 */
export class DependencyUnavailableError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(503, code, message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'TOO_MANY_REQUESTS', message);
  }
}

/** A delta read asked from a version the store's change log no longer covers: re-read the store. */
export class SinceVersionExpiredError extends AppError {
  constructor(since: number, storeVersion: number) {
    super(410, 'SINCE_VERSION_EXPIRED', `changes since version ${since} are no longer kept; read the whole store again`, [], {
      store_version: storeVersion,
    });
  }
}

/** An all-or-none batch with a row that could not apply: nothing was applied; `results` says why, row by row (apps/README.md#stock-movements). */
export class BatchRejectedError extends AppError {
  constructor(message: string, results: unknown[]) {
    super(409, 'BATCH_REJECTED', message, [], { results });
  }
}

/** A keyed request whose answer could not be recorded for replay in its own transaction: refused before it is applied. */
export class AnswerTooLargeToRecordError extends AppError {
  constructor() {
    super(
      413,
      'ANSWER_TOO_LARGE_TO_RECORD',
      'the answer to this keyed request would be too large to record for replay; nothing was applied: send fewer rows',
    );
  }
}
