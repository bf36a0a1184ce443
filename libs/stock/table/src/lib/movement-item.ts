import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { MovementReason, MovementSource, StockMovement } from '@inventory/domain/model';

const TEXT_FIELDS = ['movement_id', 'store_id', 'sku', 'reason', 'source', 'actor', 'at'] as const;
const NUMBER_FIELDS = ['delta', 'quantity_before', 'quantity_after', 'version'] as const;
const OPTIONAL_TEXT_FIELDS = ['reference', 'idempotency_key', 'request_id'] as const;

/** A movement's fields as DynamoDB attributes; an absent optional field is no attribute at all. */
export function movementAttributes(movement: StockMovement): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const field of TEXT_FIELDS) attributes[field] = { S: movement[field] };
  for (const field of NUMBER_FIELDS) attributes[field] = { N: String(movement[field]) };
  for (const field of OPTIONAL_TEXT_FIELDS) {
    const value = movement[field];
    if (value !== null) attributes[field] = { S: value };
  }
  return attributes;
}

/** A stored movement item as the API shows it, in the field order of SPEC §9. */
export function toMovement(raw: Record<string, AttributeValue>): StockMovement {
  const text = (field: string) => raw[field]?.S ?? '';
  const optional = (field: string) => raw[field]?.S ?? null;
  const number = (field: string) => Number(raw[field]?.N ?? 0);
  return {
    movement_id: text('movement_id'),
    store_id: text('store_id'),
    sku: text('sku'),
    delta: number('delta'),
    quantity_before: number('quantity_before'),
    quantity_after: number('quantity_after'),
    version: number('version'),
    reason: text('reason') as MovementReason,
    source: text('source') as MovementSource,
    reference: optional('reference'),
    actor: text('actor'),
    idempotency_key: optional('idempotency_key'),
    request_id: optional('request_id'),
    at: text('at'),
  };
}
