import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

/** A DynamoDB Streams client configured as the table's client is (DynamoDB Local serves both APIs on one endpoint). */
export function createDynamoDbStreamsClient(options: { region: string; endpoint?: string; timeoutMs: number }): DynamoDBStreamsClient {
  const localCredentials =
    options.endpoint && !process.env['AWS_ACCESS_KEY_ID'] ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;
  return new DynamoDBStreamsClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: localCredentials,
    requestHandler: { connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs, throwOnRequestTimeout: true },
  });
}
