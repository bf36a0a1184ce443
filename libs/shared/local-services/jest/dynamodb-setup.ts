/**
 * Jest global setup for projects whose tests need DynamoDB: one DynamoDB Local JVM for the whole
 * run (it takes seconds to start), its URL handed to the test workers by environment. Each suite
 * still creates and deletes its own table.
 */
import { SHARED_DYNAMODB_URL_ENV, startLocalDynamoDb } from '../src/lib/local-dynamodb';

export default async function setup(): Promise<void> {
  const server = await startLocalDynamoDb(0, '127.0.0.1', { ownProcess: true });
  process.env[SHARED_DYNAMODB_URL_ENV] = server.url;
  (globalThis as { sharedDynamoDb?: typeof server }).sharedDynamoDb = server;
}
