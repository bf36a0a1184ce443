import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalDynamoDb } from '@inventory/shared/local-services';
import { createDynamoDbClient } from '@inventory/shared/dynamodb';
import { deleteInventoryTables, ensureInventoryTable } from './inventory-table';

/** For this lib's specs: a fresh local DynamoDB-compatible server and a private table name on it. */
export interface LocalTable {
  url: string;
  client: DynamoDBClient;
  tableName: string;
  /** Deletes the tables (if created), closes the client, stops the server. */
  stop: () => Promise<void>;
}

export async function startLocalTable(options: { create: boolean } = { create: true }): Promise<LocalTable> {
  const dynamo = await startLocalDynamoDb();
  const client = createDynamoDbClient({ region: 'us-east-1', endpoint: dynamo.url });
  const tableName = `inventory-test-${randomUUID()}`;
  if (options.create) await ensureInventoryTable(client, tableName);
  return {
    url: dynamo.url,
    client,
    tableName,
    stop: async () => {
      await deleteInventoryTables(client, tableName).catch(() => undefined);
      client.destroy();
      await dynamo.stop();
    },
  };
}
