import { randomUUID } from 'node:crypto';
import {
  type CommitReservationCommand,
  type CreateReservationCommand,
  NotFoundError,
  type PromisedItem,
  type Reservation,
  ReservationExpiredError,
  ReservationNotHeldError,
  rfc3339,
  unitsWithin,
} from '@inventory/domain/model';
import type { Applied, IdempotencyClaim } from '@inventory/stock/idempotency';
import type { WriteContext } from '@inventory/stock/store-update';
import type { Metrics } from '@inventory/shared/observability';
import { assertAvailable, type PromiseLedger, type SkuChange, type SkuNow, skuKey } from '../promise-ledger';
import type { StoredReservation } from './reservation-records';
import type { PromiseViews } from '../promise-views';

/** Who asks, and which stores it may touch: checked once the reservation's store is known, before anything is written. */
export interface PromiseContext extends WriteContext {
  assertStores?: (storeIds: string[]) => void;
}

/** An expiry found its hold extended meanwhile. */
class NotDueError extends Error {}

/** Who the ledger names for an expiry: no caller asked for it. */
export const EXPIRY_ACTOR = 'system:reservation-expiry';

/**
 * Reservations (apps/README.md#reservations-and-transfers): a hold of units against `available`,
 * all items or none, that a commit turns into sales, a release or its expiry gives back. Every
 * change is one transaction through the PromiseLedger, conditional on the reservation being held
 * exactly as read, so each hold ends once — by commit, release or expiry, whichever commits first.
 */
export class Reservations {
  constructor(
    private readonly deps: {
      ledger: PromiseLedger;
      views: PromiseViews;
      metrics: Metrics;
    },
  ) {}

  async create(command: CreateReservationCommand, context: PromiseContext = {}): Promise<Applied<Reservation>> {
    context.assertStores?.([command.store_id]);
    return this.deps.ledger.keyed('POST /inventory/reservations', command, context, async (claim) => {
      const id = randomUUID();
      const answer = await this.deps.ledger.apply(
        command.store_id,
        async (at) => {
          const known = await this.deps.ledger.read(command.items.map(({ sku }) => ({ storeId: command.store_id, sku })));
          assertAvailable(known, command.store_id, command.items);
          const holdUntil = at.getTime() + command.expires_in_seconds * 1000;
          const reservation: StoredReservation = {
            holdUntil,
            view: {
              reservation_id: id,
              store_id: command.store_id,
              state: 'held',
              items: command.items.map(({ sku, quantity }) => ({ sku, quantity })),
              expires_at: new Date(holdUntil).toISOString(),
              reference: command.reference ?? null,
              created_at: rfc3339(at),
              updated_at: rfc3339(at),
            },
          };
          return {
            known,
            changes: command.items.map(({ sku, quantity }) => {
              const { promise } = known.get(skuKey(command.store_id, sku)) as SkuNow;
              return {
                store_id: command.store_id,
                sku,
                delta: 0,
                reason: 'reserve',
                promise: { ...promise, reserved: promise.reserved + quantity },
              };
            }),
            actions: this.deps.views.reservationRecords.created(reservation),
            link: { reservation_id: id },
            reference: reservation.view.reference,
            answer: reservation.view,
          };
        },
        context,
        claim,
      );
      this.deps.metrics.count('ReservationsHeld');
      return answer;
    });
  }

  /** `POST …/commit`: the units given (default: all held) become sales; the rest is released. */
  async commit(id: string, command: CommitReservationCommand, context: PromiseContext = {}): Promise<Applied<Reservation>> {
    const read = await this.deps.views.storedReservation(id, context);
    return this.deps.ledger.keyed(`POST /inventory/reservations/${id}/commit`, command, context, (claim) =>
      this.end(read.view, 'committed', context, claim, (held) => unitsWithin(held.items, command.items, 'reservation'), read),
    );
  }

  /** `POST …/release`: every held unit back to available. */
  async release(id: string, context: PromiseContext = {}): Promise<Applied<Reservation>> {
    const read = await this.deps.views.storedReservation(id, context);
    return this.deps.ledger.keyed(`POST /inventory/reservations/${id}/release`, {}, context, (claim) =>
      this.end(read.view, 'released', context, claim, () => [], read),
    );
  }

  /** The sweeper's release of a hold past its expiry; false when it had already ended (by anyone) or was extended. */
  async expire(id: string, storeId: string): Promise<boolean> {
    try {
      await this.end({ reservation_id: id, store_id: storeId }, 'expired', { actor: EXPIRY_ACTOR }, undefined, () => []);
      this.deps.metrics.count('ReservationsExpired');
      return true;
    } catch (error) {
      if (error instanceof ReservationNotHeldError || error instanceof NotFoundError || error instanceof NotDueError) return false;
      throw error;
    }
  }

  /** `POST …/extend`: a new expiry, counted from now; the units stay held. */
  async extend(id: string, expiresInSeconds: number, context: PromiseContext = {}): Promise<Applied<Reservation>> {
    const { view: first } = await this.deps.views.storedReservation(id, context);
    return this.deps.ledger.keyed(`POST /inventory/reservations/${id}/extend`, { expires_in_seconds: expiresInSeconds }, context, (claim) =>
      this.deps.ledger.apply(
        first.store_id,
        async (at) => {
          const held = await this.held(id, at, 'extend');
          const holdUntil = at.getTime() + expiresInSeconds * 1000;
          const view: Reservation = { ...held.view, expires_at: new Date(holdUntil).toISOString(), updated_at: rfc3339(at) };
          return {
            known: new Map(),
            changes: [],
            actions: this.deps.views.reservationRecords.changed(held, { view, holdUntil }),
            reference: view.reference,
            answer: view,
          };
        },
        context,
        claim,
      ),
    );
  }

  /**
   * Ends a held reservation as `state`, selling the units `sold` picks (none: all released). `read`,
   * the caller's look at it, spares the first attempt a read; a later attempt reads it again.
   */
  private end(
    first: Pick<Reservation, 'reservation_id' | 'store_id'>,
    state: 'committed' | 'released' | 'expired',
    context: PromiseContext,
    claim: IdempotencyClaim | undefined,
    sold: (held: Reservation) => PromisedItem[],
    read?: StoredReservation,
  ): Promise<Reservation> {
    const id = first.reservation_id;
    let known = read;
    return this.deps.ledger.apply(
      first.store_id,
      async (at) => {
        const held = await this.held(id, at, state, known);
        known = undefined;
        const selling = new Map(sold(held.view).map((item) => [item.sku, item.quantity]));
        const storeId = held.view.store_id;
        const skus = await this.deps.ledger.read(held.view.items.map(({ sku }) => ({ storeId, sku })));
        const changes = held.view.items.map(({ sku, quantity: reserved }): SkuChange => {
          const { state: item, promise } = skus.get(skuKey(storeId, sku)) as SkuNow;
          const units = selling.get(sku) ?? 0;
          // The physical count is the truth: a unit a till already sold cannot be sold again (never below 0).
          const taken = Math.min(units, item.quantity);
          const reason = units > 0 ? 'sale' : state === 'expired' ? 'expire' : 'release';
          return {
            store_id: storeId,
            sku,
            delta: -taken,
            shortfall: units - taken,
            reason,
            promise: { ...promise, reserved: promise.reserved - reserved },
          };
        });
        const view: Reservation = {
          ...held.view,
          state,
          ...(state === 'committed'
            ? { committed_items: held.view.items.map(({ sku }) => ({ sku, quantity: selling.get(sku) ?? 0 })) }
            : {}),
          updated_at: rfc3339(at),
        };
        return {
          known: skus,
          changes,
          actions: this.deps.views.reservationRecords.changed(held, { view, holdUntil: held.holdUntil }),
          link: { reservation_id: id },
          reference: view.reference,
          answer: view,
        };
      },
      context,
      claim,
    );
  }

  /**
   * The reservation if it is held and, for a caller, not yet due (a due one is the sweeper's to
   * expire: 409 RESERVATION_EXPIRED), or for the sweeper, due (an extended one is not: NotDueError).
   */
  private async held(id: string, at: Date, ending: string, read?: StoredReservation): Promise<StoredReservation> {
    const stored = read ?? (await this.deps.views.storedReservation(id, {}));
    if (stored.view.state !== 'held') throw new ReservationNotHeldError(stored.view.state);
    const due = stored.holdUntil <= at.getTime();
    if (ending === 'expired' && !due) throw new NotDueError();
    if (ending !== 'expired' && due) throw new ReservationExpiredError(stored.view.expires_at);
    return stored;
  }
}
