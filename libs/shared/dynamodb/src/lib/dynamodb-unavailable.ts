import { DependencyUnavailableError } from '@inventory/domain/model';

/** What callers are told to wait before retrying when DynamoDB is down, slow or throttling. */
export const DYNAMODB_RETRY_AFTER_SECONDS = 2;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TransactionInProgressException',
]);

interface SdkFailure {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * True when a DynamoDB call failed for want of DynamoDB (unreachable, too slow, throttling after
 * the SDK's retries, a 5xx), not because of what we asked: such failures answer 503 with
 * `Retry-After`. A deadline of ours ends as a TimeoutError; a caller's own abort is not one of these.
 */
export function isDynamoDbUnavailable(error: unknown): boolean {
  const failure = error as SdkFailure | undefined;
  if (!failure) return false;
  if (failure.name === 'TimeoutError' || THROTTLING.has(failure.name ?? '')) return true;
  if (failure.code && NETWORK_CODES.has(failure.code)) return true;
  return (failure.$metadata?.httpStatusCode ?? 0) >= 500;
}

export function dynamoDbUnavailable(): DependencyUnavailableError {
  return new DependencyUnavailableError('DYNAMODB_UNAVAILABLE', 'DynamoDB is unavailable; retry later', DYNAMODB_RETRY_AFTER_SECONDS);
}

/**
 * One DynamoDB call under a deadline (and the caller's own signal, if any); a call that fails for
 * want of DynamoDB rejects with the 503 error, anything else as it is.
 */
export async function withDeadline<T>(timeoutMs: number, call: (abortSignal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    return await call(signal ? AbortSignal.any([signal, deadline]) : deadline);
  } catch (error) {
    if (deadline.aborted && !signal?.aborted) throw dynamoDbUnavailable();
    if (isDynamoDbUnavailable(error)) throw dynamoDbUnavailable();
    throw error;
  }
}
