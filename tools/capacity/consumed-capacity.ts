import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface ConsumedUnits {
  table: string;
  read: number;
  write: number;
}

/**
 * Makes every call of `client` ask for `ReturnConsumedCapacity` and hands each table's units that
 * DynamoDB answers to `onUnits`, reads and writes apart (an entry without the split counts by its
 * command). Add it before the client's first call.
 */
export function countConsumedCapacity(client: DynamoDBClient, onUnits: (units: ConsumedUnits) => void): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Record<string, unknown>)['ReturnConsumedCapacity'] ??= 'TOTAL';
      const result = await next(args);
      const reads = /^(Get|BatchGet|Query|Scan)/.test(context.commandName ?? '');
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      for (const entry of [consumed ?? []].flat()) {
        const split = entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined;
        const units = entry.CapacityUnits ?? 0;
        onUnits({
          table: entry.TableName ?? '',
          read: split ? (entry.ReadCapacityUnits ?? 0) : reads ? units : 0,
          write: split ? (entry.WriteCapacityUnits ?? 0) : reads ? 0 : units,
        });
      }
      return result;
    },
    { step: 'initialize', name: 'consumedCapacity' },
  );
}
