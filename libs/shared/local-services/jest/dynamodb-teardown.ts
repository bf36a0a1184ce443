/** Stops the run's shared DynamoDB Local (see dynamodb-setup.ts). */
import type { LocalDynamoDb } from '../src/lib/local-dynamodb';

export default async function teardown(): Promise<void> {
  await (globalThis as { sharedDynamoDb?: LocalDynamoDb }).sharedDynamoDb?.stop();
}
