import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { withDeadline } from './dynamodb-unavailable';

/**
 * The items at `keys` of one table, strongly consistent: 100 keys a BatchGetItem, and the keys
 * DynamoDB hands back unprocessed (throttled) asked again with backoff, 10 times at most. Absent
 * items are simply not in the answer.
 */
export async function batchGetItems(
  client: DynamoDBClient,
  table: string,
  keys: Array<Record<string, AttributeValue>>,
  timeoutMs: number,
): Promise<Array<Record<string, AttributeValue>>> {
  const items: Array<Record<string, AttributeValue>> = [];
  for (let first = 0; first < keys.length; first += 100) {
    let pending = keys.slice(first, first + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 10) throw new Error(`${pending.length} keys of ${table} still unprocessed after 10 attempts`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 20 * 2 ** attempt)));
      const result = await withDeadline(timeoutMs, (abortSignal) =>
        client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }), { abortSignal }),
      );
      items.push(...(result.Responses?.[table] ?? []));
      pending = result.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return items;
}
