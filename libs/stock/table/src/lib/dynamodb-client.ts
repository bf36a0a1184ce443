import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoDbClientOptions {
  region: string;
  /** A local DynamoDB-compatible server; unset in AWS. */
  endpoint?: string;
}

/**
 * In AWS, credentials come from the pod's service account (IRSA) through the default chain. A local
 * endpoint needs some credentials to sign with, and any will do, unless the environment gives some.
 */
export function createDynamoDbClient({ region, endpoint }: DynamoDbClientOptions): DynamoDBClient {
  const localCredentials = endpoint && !process.env['AWS_ACCESS_KEY_ID'] ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;
  // The middleware stack is resolved once per command type rather than per request (it showed in
  // write-api's profiles): middleware is only ever added before a client's first request of that type.
  return new DynamoDBClient({ region, endpoint, credentials: localCredentials, maxAttempts: 5, cacheMiddleware: true });
}
