import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** Bytes DynamoDB counts for a value (as its sizing rules state: strings UTF-8, numbers ~1 byte per 2 digits + 1). */
function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined) return 3 + value.L.reduce((sum, item) => sum + 1 + valueBytes(item), 0);
  if (value.M !== undefined) return 3 + itemBytes(value.M);
  if (value.SS !== undefined) return value.SS.reduce((sum, item) => sum + Buffer.byteLength(item), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, item) => sum + Math.ceil(item.length / 2) + 1, 0);
  return 0;
}

function itemBytes(item: Record<string, AttributeValue>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + valueBytes(value);
  return bytes;
}

/** The write capacity units a put of `item` consumes: one per started kilobyte of its size. */
export function writeUnitsOf(item: Record<string, AttributeValue>): number {
  return Math.max(1, Math.ceil(itemBytes(item) / 1024));
}
