import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoDbClientOptions {
  region: string;
  /** A local DynamoDB-compatible server; unset in AWS. */
  endpoint?: string;
  /** Longest one attempt may take, connecting included (the repository bounds a whole call by it too). */
  timeoutMs?: number;
  /** Attempts per call, the first included: throttling and network failures are retried with backoff. */
  maxAttempts?: number;
}

export const DEFAULT_DYNAMODB_TIMEOUT_MS = 3_000;

/**
 * In AWS, credentials come from the pod's service account (IRSA) through the default chain. A local
 * endpoint needs some credentials to sign with, and any will do, unless the environment gives some.
 */
export function createDynamoDbClient({
  region,
  endpoint,
  timeoutMs = DEFAULT_DYNAMODB_TIMEOUT_MS,
  maxAttempts = 3,
}: DynamoDbClientOptions): DynamoDBClient {
  const localCredentials = endpoint && !process.env['AWS_ACCESS_KEY_ID'] ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;
  return new DynamoDBClient({
    region,
    endpoint,
    credentials: localCredentials,
    maxAttempts,
    // Without these a frozen server holds a request for as long as the OS keeps the socket.
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
    // The middleware stack is resolved once per command type rather than per request (it showed in
    // write-api's profiles): middleware is only ever added before a client's first request of that type.
    cacheMiddleware: true,
  });
}
