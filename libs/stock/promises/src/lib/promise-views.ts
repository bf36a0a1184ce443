import { NotFoundError, type Reservation, type Transfer } from '@inventory/domain/model';
import type { PromiseDocuments } from '@inventory/stock/movements';
import { ReservationRecords, type StoredReservation } from './reservations/reservation-records';
import type { PromiseContext } from './reservations/reservations';

/**
 * Reservations and transfers as read (query-api's reads, and every change's first look): 404 for an
 * id never issued, 403 for a caller without the record's store, before anything else is said of it.
 * A transfer is the sender's to ship and cancel and the receiver's to receive.
 */
export class PromiseViews {
  readonly reservationRecords: ReservationRecords;

  constructor(private readonly documents: PromiseDocuments) {
    this.reservationRecords = new ReservationRecords(documents);
  }

  /** `GET /inventory/reservations/{id}`: a hold past its expiry shows `expired` (its release is due within the sweep bound). */
  async reservation(id: string, context: PromiseContext, now = new Date()): Promise<Reservation> {
    const stored = await this.storedReservation(id, context);
    const due = stored.view.state === 'held' && stored.holdUntil <= now.getTime();
    return due ? { ...stored.view, state: 'expired' } : stored.view;
  }

  async storedReservation(id: string, context: PromiseContext): Promise<StoredReservation> {
    const stored = await this.reservationRecords.read(id);
    if (!stored) throw new NotFoundError(`no reservation ${id}`);
    context.assertStores?.([stored.view.store_id]);
    return stored;
  }

  /** `GET /inventory/transfers/{id}`: either end may read it (the sender tracks it, the receiver expects it). */
  async transfer(id: string, context: PromiseContext): Promise<Transfer> {
    const { view } = await this.storedTransfer(id, {});
    const holds = (store: string) => {
      try {
        context.assertStores?.([store]);
        return true;
      } catch {
        return false;
      }
    };
    if (!holds(view.from_store) && !holds(view.to_store)) context.assertStores?.([view.from_store, view.to_store]);
    return view;
  }

  /** The transfer and its revision (what its next step is conditional on), for a caller who must hold its `end`. */
  async storedTransfer(
    id: string,
    context: PromiseContext,
    end: 'from_store' | 'to_store' = 'from_store',
  ): Promise<{ view: Transfer; revision: number }> {
    const found = await this.documents.read<Transfer>('transfer', id);
    if (!found) throw new NotFoundError(`no transfer ${id}`);
    context.assertStores?.([found.view[end]]);
    return { view: found.view, revision: Number(found.raw['revision']?.N ?? 0) };
  }
}
