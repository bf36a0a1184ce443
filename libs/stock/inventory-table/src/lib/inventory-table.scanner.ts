import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ATTR } from './inventory-table';

/**
 * Every store id in the table, from a parallel Scan of the partition key only. An operator read of
 * the whole table (reconcile): the services never scan, so their IAM policy has no Scan.
 */
export async function listStoreIds(
  client: DynamoDBClient,
  tableName: string,
  options: { segments?: number; pageSize?: number } = {},
): Promise<Set<string>> {
  const segments = options.segments ?? 4;
  const stores = new Set<string>();
  const scanSegment = async (segment: number) => {
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          ProjectionExpression: '#store',
          ExpressionAttributeNames: { '#store': ATTR.storeId },
          Segment: segment,
          TotalSegments: segments,
          ExclusiveStartKey: startKey,
          Limit: options.pageSize,
        }),
      );
      for (const item of page.Items ?? []) {
        const storeId = item[ATTR.storeId]?.S;
        if (storeId) stores.add(storeId);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  await Promise.all(Array.from({ length: segments }, (_, segment) => scanSegment(segment)));
  return stores;
}
