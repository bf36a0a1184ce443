import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { MovementKind, StockMovement } from '@inventory/domain/model';
import type { RecordedChange } from './movement-item';
import { MOVEMENT_ATTR, movementSortKey, storeMovementsKey } from './movement-table';

/**
 * An all-or-none batch's changes, noticed in its own transaction (libs/stock/README.md#batch-notices).
 * Its rows' movements reach the movements table only from the stream (a row and its record would
 * take two of the transaction's 100 actions), which trails a storm by many minutes; a storm needs
 * every change made after its count at once. So the batch's transaction also puts one small item
 * in the store's partition naming each row's change — what a storm's correction reads, nothing
 * else: listings skip it, and it lapses after a day (a storm's jobs run at most an hour past their
 * count). One action for the whole batch, ~40 bytes a row.
 */
const BATCH_NOTICE_LIFETIME_SECONDS = 24 * 3600;

const RECORD = 'record';
const BATCH_NOTICE = 'batch_notice';
const ROWS = 'rows';

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
  return {
    Put: {
      TableName: movementTable,
      Item: {
        [MOVEMENT_ATTR.pk]: { S: storeMovementsKey(first.store_id) },
        [MOVEMENT_ATTR.sk]: { S: noticeSortKey(first.at, first.movement_id) },
        [MOVEMENT_ATTR.expiresAt]: { N: String(Math.floor(Date.parse(first.at) / 1000) + BATCH_NOTICE_LIFETIME_SECONDS) },
        [RECORD]: { S: BATCH_NOTICE },
        [ROWS]: { S: lines.join('\n') },
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
