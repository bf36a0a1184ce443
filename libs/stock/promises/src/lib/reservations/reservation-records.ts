import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { fnv1a32, type Reservation } from '@inventory/domain/model';
import { MOVEMENT_ATTR } from '@inventory/stock/movements';
import type { PromiseDocuments } from '@inventory/stock/movements';

/**
 * Reservations in the movements table (libs/stock/README.md#promises): the record, whose state and
 * expiry make each change apply once, and one **expiry entry** per held reservation, in a
 * partition per minute of expiry and shard (`expiry#<minute>#<0..3>`), which the sweeper reads. An
 * entry lives exactly as long as its hold: the transaction that ends or moves the hold deletes or moves it.
 */
export const EXPIRY_SHARDS = 4;
const MINUTE_MS = 60_000;
const KIND = 'reservation';

export const expiryPartition = (minute: number, shard: number) => `expiry#${minute}#${shard}`;
export const minuteOf = (epochMs: number) => Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;
/** Sorts by expiry within a partition: a sweep reads only what is due. */
export const expirySortKey = (holdUntil: number, id: string) => `${String(holdUntil).padStart(15, '0')}#${id}`;

/** A reservation as stored: what the API shows, and its expiry in epoch ms (what conditions compare). */
export interface StoredReservation {
  view: Reservation;
  holdUntil: number;
}

export class ReservationRecords {
  constructor(private readonly documents: PromiseDocuments) {}

  async read(id: string): Promise<StoredReservation | undefined> {
    const found = await this.documents.read<Reservation>(KIND, id);
    return found && { view: found.view, holdUntil: Number(found.raw['hold_until']?.N ?? 0) };
  }

  /** A new reservation's record and expiry entry. */
  created(reservation: StoredReservation): TransactWriteItem[] {
    return [this.put(reservation, undefined), this.expiryEntryPut(reservation)];
  }

  /**
   * A held reservation's next record, conditional on it being exactly as read (held, same expiry),
   * and its expiry entry removed (or moved, when it stays held).
   */
  changed(before: StoredReservation, after: StoredReservation): TransactWriteItem[] {
    const actions: TransactWriteItem[] = [this.put(after, before), { Delete: { TableName: this.documents.table, Key: expiryKey(before) } }];
    if (after.view.state === 'held') actions.push(this.expiryEntryPut(after));
    return actions;
  }

  private put(reservation: StoredReservation, before: StoredReservation | undefined): TransactWriteItem {
    const { view, holdUntil } = reservation;
    return this.documents.put(
      KIND,
      view.reservation_id,
      view,
      { state: { S: view.state }, hold_until: { N: String(holdUntil) } },
      before && { state: { S: 'held' }, hold_until: { N: String(before.holdUntil) } },
      view.state === 'held' ? holdUntil : Date.parse(view.updated_at),
    );
  }

  private expiryEntryPut(reservation: StoredReservation): TransactWriteItem {
    return {
      Put: {
        TableName: this.documents.table,
        Item: {
          ...expiryKey(reservation),
          reservation_id: { S: reservation.view.reservation_id },
          store_id: { S: reservation.view.store_id },
        },
      },
    };
  }
}

function expiryKey({ view, holdUntil }: StoredReservation) {
  const shard = fnv1a32(view.reservation_id) % EXPIRY_SHARDS;
  return {
    [MOVEMENT_ATTR.pk]: { S: expiryPartition(minuteOf(holdUntil), shard) },
    [MOVEMENT_ATTR.sk]: { S: expirySortKey(holdUntil, view.reservation_id) },
  };
}
