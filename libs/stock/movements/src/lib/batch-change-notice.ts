import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { MovementKind, StockMovement } from '@inventory/domain/model';
import type { RecordedChange } from './movement-item';
import { MOVEMENT_ATTR, MOVEMENT_RETENTION_SECONDS, movementSortKey, storeMovementsKey } from './movement-table';

/**
 * An all-or-none batch's changes, noticed in its own transaction (libs/stock/README.md#batch-notices).
 * Its rows' movements reach the movements table only from the stream (a row and its record would
 * take two of the transaction's 100 actions), which trails a storm by many minutes; a storm needs
 * every change made after its count at once. So the batch's transaction also puts one small item
 * in the store's partition naming each row's change — what a storm's correction reads — and what
 * else rebuilds each row's movement, for a stream that dropped the rows' records (the events
 * consumer's replay of a retention gap): listings skip it, and it lives as long as the movements.
 * One action for the whole batch, ~100 bytes a row.
 */
const RECORD = 'record';
const BATCH_NOTICE = 'batch_notice';
const ROWS = 'rows';
/** JSON: what the rows share (who, which request) and, per row, `[movement_id, reason, reference]`. */
const REST = 'rest';

interface NoticeRest {
  actor: string;
  on_behalf_of: string | null;
  idempotency_key: string | null;
  request_id: string | null;
  rows: Array<[string, StockMovement['reason'], string | null]>;
}

/** Sorts among the store's movements at the batch's time, after any movement of that millisecond. */
const noticeSortKey = (at: string, firstMovementId: string) => `${at}#~batch#${firstMovementId}`;

export function isBatchNotice(raw: Record<string, AttributeValue>): boolean {
  return raw[RECORD]?.S === BATCH_NOTICE;
}

/** The notice of one batch's rows (one store, one time), as its transaction's Put. */
export function batchNoticePut(movementTable: string, rows: Array<{ movement: StockMovement; kind: MovementKind }>): TransactWriteItem {
  const first = rows[0]?.movement;
  if (!first) throw new Error('a batch notice needs a row');
  // `sku|version|set or adjust|delta|quantity_after`, a line a row: SKUs hold neither `|` nor a newline.
  const lines = rows.map(({ movement, kind }) => [movement.sku, movement.version, kind, movement.delta, movement.quantity_after].join('|'));
  const rest: NoticeRest = {
    actor: first.actor,
    on_behalf_of: first.on_behalf_of,
    idempotency_key: first.idempotency_key,
    request_id: first.request_id,
    rows: rows.map(({ movement }) => [movement.movement_id, movement.reason, movement.reference]),
  };
  return {
    Put: {
      TableName: movementTable,
      Item: {
        [MOVEMENT_ATTR.pk]: { S: storeMovementsKey(first.store_id) },
        [MOVEMENT_ATTR.sk]: { S: noticeSortKey(first.at, first.movement_id) },
        [MOVEMENT_ATTR.expiresAt]: { N: String(Math.floor(Date.parse(first.at) / 1000) + MOVEMENT_RETENTION_SECONDS) },
        [RECORD]: { S: BATCH_NOTICE },
        [ROWS]: { S: lines.join('\n') },
        [REST]: { S: JSON.stringify(rest) },
      },
    },
  };
}

/**
 * A notice's changes, each at the position its movement takes once the events consumer records it
 * (`<at>#<sku>#<version>`): a reader that meets both counts the change once.
 */
export function batchNoticeChanges(raw: Record<string, AttributeValue>): RecordedChange[] {
  // The batch's time is its sort key's first field (noticeSortKey).
  const sortKey = raw[MOVEMENT_ATTR.sk]?.S ?? '';
  const at = sortKey.slice(0, sortKey.indexOf('#'));
  return (raw[ROWS]?.S ?? '').split('\n').map((line) => {
    const [sku = '', version, kind, delta, after] = line.split('|');
    return {
      sku,
      version: Number(version),
      kind: kind as MovementKind,
      source: 'api',
      delta: Number(delta),
      quantity_after: Number(after),
      reference: null,
      sortKey: movementSortKey(at, sku, Number(version)),
    };
  });
}

/**
 * A notice's rows as the movements the events consumer records from their stream records, each with
 * whether it set or adjusted; none for a notice written before it kept the rest (`rest`).
 */
export function batchNoticeMovements(raw: Record<string, AttributeValue>): Array<{ movement: StockMovement; kind: MovementKind }> {
  const restText = raw[REST]?.S;
  if (!restText) return [];
  const rest = JSON.parse(restText) as NoticeRest;
  const storeId = (raw[MOVEMENT_ATTR.pk]?.S ?? '').slice('store#'.length);
  const at = (raw[MOVEMENT_ATTR.sk]?.S ?? '').split('#')[0] ?? '';
  return batchNoticeChanges(raw).map((change, i) => {
    const [movement_id, reason, reference] = rest.rows[i] as NoticeRest['rows'][number];
    return {
      kind: change.kind,
      movement: {
        movement_id,
        store_id: storeId,
        sku: change.sku,
        delta: change.delta,
        quantity_before: change.quantity_after - change.delta,
        quantity_after: change.quantity_after,
        version: change.version,
        reason,
        source: change.source,
        reference,
        actor: rest.actor,
        on_behalf_of: rest.on_behalf_of,
        idempotency_key: rest.idempotency_key,
        request_id: rest.request_id,
        at,
      },
    };
  });
}
