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

export class MalformedJsonError extends AppError {
  constructor(reason: string) {
    super(400, 'MALFORMED_JSON', `request body is not valid JSON: ${reason}`);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'credentials are missing or wrong') {
    super(401, 'UNAUTHORIZED', message);
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
    super(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allowed.join(', ')}`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, 'CONFLICT', message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: string) {
    super(413, 'PAYLOAD_TOO_LARGE', `request body is larger than the ${limit} limit`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(got: string | undefined) {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json${got ? ` (got ${got})` : ' (none was sent)'}`);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, 'SERVICE_UNAVAILABLE', message);
  }
}
