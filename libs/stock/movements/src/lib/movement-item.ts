import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { MovementKind, MovementReason, MovementSource, StockMovement } from '@inventory/domain/model';
import { historyKey, MOVEMENT_ATTR, MOVEMENT_RETENTION_SECONDS, movementSortKey, storeMovementsKey } from './movement-table';

const TEXT_FIELDS = ['movement_id', 'store_id', 'sku', 'reason', 'source', 'actor', 'at'] as const;
const NUMBER_FIELDS = ['delta', 'quantity_before', 'quantity_after', 'version'] as const;
const OPTIONAL_TEXT_FIELDS = ['reference', 'on_behalf_of', 'idempotency_key', 'request_id'] as const;
/** A promise's fields (apps/README.md#reservations-and-transfers): only its movements carry them. */
const PROMISE_TEXT_FIELDS = ['reservation_id', 'transfer_id'] as const;
const PROMISE_NUMBER_FIELDS = [
  'reserved_before',
  'reserved_after',
  'incoming_before',
  'incoming_after',
  'safety_stock_before',
  'safety_stock',
] as const;
/** Not shown by the API: whether the change was a set or an adjust (what a storm keeps of it). */
const KIND = 'change';

/** A movement as the item the movements table stores: its fields, its keys, its expiry. */
export function movementItem(movement: StockMovement, kind: MovementKind): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    [MOVEMENT_ATTR.pk]: { S: storeMovementsKey(movement.store_id) },
    [MOVEMENT_ATTR.sk]: { S: movementSortKey(movement.at, movement.sku, movement.version) },
    [MOVEMENT_ATTR.historyKey]: { S: historyKey(movement.store_id, movement.sku) },
    [MOVEMENT_ATTR.expiresAt]: { N: String(Math.floor(Date.parse(movement.at) / 1000) + MOVEMENT_RETENTION_SECONDS) },
    [KIND]: { S: kind },
  };
  for (const field of TEXT_FIELDS) item[field] = { S: movement[field] };
  for (const field of NUMBER_FIELDS) item[field] = { N: String(movement[field]) };
  for (const field of OPTIONAL_TEXT_FIELDS) {
    const value = movement[field];
    if (value !== null) item[field] = { S: value };
  }
  if (movement.shortfall !== undefined) item['shortfall'] = { N: String(movement.shortfall) };
  for (const field of PROMISE_TEXT_FIELDS) {
    const value = movement[field];
    if (value !== undefined) item[field] = { S: value };
  }
  for (const field of PROMISE_NUMBER_FIELDS) {
    const value = movement[field];
    if (value !== undefined) item[field] = { N: String(value) };
  }
  return item;
}

/** A stored movement item as the API shows it, in the field order of apps/README.md#stock-movements. */
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
    on_behalf_of: optional('on_behalf_of'),
    idempotency_key: optional('idempotency_key'),
    request_id: optional('request_id'),
    at: text('at'),
    ...(raw['shortfall'] ? { shortfall: number('shortfall') } : {}),
    ...Object.fromEntries(PROMISE_TEXT_FIELDS.filter((field) => raw[field]).map((field) => [field, text(field)])),
    ...Object.fromEntries(PROMISE_NUMBER_FIELDS.filter((field) => raw[field]).map((field) => [field, number(field)])),
  };
}

/** Whether a stored movement set or adjusted its SKU. */
export function movementKindOf(raw: Record<string, AttributeValue>): MovementKind {
  return (raw[KIND]?.S ?? 'set') as MovementKind;
}

/** What a storm needs of a recorded change: which SKU, in which order, set or adjust, by whom. */
export interface RecordedChange {
  sku: string;
  version: number;
  kind: MovementKind;
  source: MovementSource;
  delta: number;
  quantity_after: number;
  reference: string | null;
  /** Its position in the store's listing, to ask only for what came after. */
  sortKey: string;
}

export function toRecordedChange(raw: Record<string, AttributeValue>): RecordedChange {
  return {
    sku: raw['sku']?.S ?? '',
    version: Number(raw['version']?.N ?? 0),
    kind: movementKindOf(raw),
    source: (raw['source']?.S ?? 'api') as MovementSource,
    delta: Number(raw['delta']?.N ?? 0),
    quantity_after: Number(raw['quantity_after']?.N ?? 0),
    reference: raw['reference']?.S ?? null,
    sortKey: raw[MOVEMENT_ATTR.sk]?.S ?? '',
  };
}

/** A storm chunk's movement as a recorded change, its position the chunk's and its SKU's. */
export function stormRecordedChange(chunk: Record<string, AttributeValue>, movement: StockMovement): RecordedChange {
  return {
    sku: movement.sku,
    version: movement.version,
    kind: 'set',
    source: movement.source,
    delta: movement.delta,
    quantity_after: movement.quantity_after,
    reference: movement.reference,
    sortKey: `${chunk[MOVEMENT_ATTR.sk]?.S ?? ''}/${movement.sku}`,
  };
}
