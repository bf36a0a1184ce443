import { randomUUID } from 'node:crypto';
import {
  type CreateTransferCommand,
  type PromisedItem,
  rfc3339,
  type Transfer,
  TransferNotInTransitError,
  type TransferState,
  unitsWithin,
} from '@inventory/domain/model';
import type { Applied, IdempotencyClaim } from '@inventory/stock/idempotency';
import type { PromiseDocuments } from '@inventory/stock/movements';
import type { PromiseViews } from '../promise-views';
import { assertAvailable, type PromiseLedger, type PromisePlan, type SkuChange, type SkuNow, skuKey } from '../promise-ledger';
import type { PromiseContext } from '../reservations/reservations';

const KIND = 'transfer';

/** What a transfer still has on the road, per SKU (received units subtracted). */
function outstanding(transfer: Transfer): PromisedItem[] {
  const received = new Map(transfer.received_items.map((item) => [item.sku, item.quantity]));
  return transfer.items.map(({ sku, quantity }) => ({ sku, quantity: quantity - (received.get(sku) ?? 0) }));
}

/**
 * Transfers between stores (apps/README.md#reservations-and-transfers). Shipping takes the units
 * off the source's shelf and shows them as `incoming` at the destination in one transaction, so a
 * reader sees them in exactly one place at every instant; receiving turns incoming into on hand;
 * cancelling sends what is still outstanding back to the source. Each step is conditional on the
 * transfer's revision as read, so it applies once.
 */
export class Transfers {
  constructor(
    private readonly deps: {
      ledger: PromiseLedger;
      documents: PromiseDocuments;
      views: PromiseViews;
    },
  ) {}

  async create(command: CreateTransferCommand, context: PromiseContext = {}): Promise<Applied<Transfer>> {
    // The sender ships: the receiving store need not be the caller's.
    context.assertStores?.([command.from_store]);
    return this.deps.ledger.keyed('POST /inventory/transfers', command, context, (claim) => {
      const id = randomUUID();
      return this.deps.ledger.apply(
        command.from_store,
        async (at) => {
          const known = await this.deps.ledger.read(
            command.items.flatMap(({ sku }) => [
              { storeId: command.from_store, sku },
              { storeId: command.to_store, sku },
            ]),
          );
          assertAvailable(known, command.from_store, command.items);
          const view: Transfer = {
            transfer_id: id,
            from_store: command.from_store,
            to_store: command.to_store,
            state: 'in_transit',
            items: command.items.map(({ sku, quantity }) => ({ sku, quantity })),
            received_items: command.items.map(({ sku }) => ({ sku, quantity: 0 })),
            reference: command.reference ?? null,
            created_at: rfc3339(at),
            updated_at: rfc3339(at),
          };
          return this.plan(known, view, undefined, 0, [
            ...this.moved(known, command.from_store, command.items, -1, 0, 'transfer_out'),
            ...this.moved(known, command.to_store, command.items, 0, 1, 'transfer_in'),
          ]);
        },
        context,
        claim,
      );
    });
  }

  /** `POST …/receive`: the units given (default: all outstanding) arrive: incoming becomes on hand. */
  async receive(id: string, items: PromisedItem[] | undefined, context: PromiseContext = {}): Promise<Applied<Transfer>> {
    const { view: first } = await this.deps.views.storedTransfer(id, context, 'to_store');
    return this.deps.ledger.keyed(`POST /inventory/transfers/${id}/receive`, { items }, context, (claim) =>
      this.step(first, claim, context, (transfer, known, at) => {
        const arriving = unitsWithin(outstanding(transfer), items, 'transfer').filter((item) => item.quantity > 0);
        const arrived = new Map(arriving.map((item) => [item.sku, item.quantity]));
        const received_items = transfer.received_items.map(({ sku, quantity }) => ({ sku, quantity: quantity + (arrived.get(sku) ?? 0) }));
        const done = received_items.every(({ sku, quantity }) => quantity === transfer.items.find((item) => item.sku === sku)?.quantity);
        const state: TransferState = done ? 'received' : 'partially_received';
        return {
          view: { ...transfer, state, received_items, updated_at: rfc3339(at) },
          changes: this.moved(known, transfer.to_store, arriving, 1, -1, 'transfer_in'),
        };
      }),
    );
  }

  /** `POST …/cancel`: what is still outstanding goes back on the source's shelf. */
  async cancel(id: string, context: PromiseContext = {}): Promise<Applied<Transfer>> {
    const { view: first } = await this.deps.views.storedTransfer(id, context);
    return this.deps.ledger.keyed(`POST /inventory/transfers/${id}/cancel`, {}, context, (claim) =>
      this.step(first, claim, context, (transfer, known, at) => {
        const returning = outstanding(transfer).filter((item) => item.quantity > 0);
        return {
          view: { ...transfer, state: 'cancelled', updated_at: rfc3339(at) },
          changes: [
            ...this.moved(known, transfer.from_store, returning, 1, 0, 'transfer_in'),
            ...this.moved(known, transfer.to_store, returning, 0, -1, 'transfer_out'),
          ],
        };
      }),
    );
  }

  /** A step of a transfer still on the road, decided on the transfer and both stores' SKUs as read. */
  private step(
    first: Transfer,
    claim: IdempotencyClaim | undefined,
    context: PromiseContext,
    decide: (transfer: Transfer, known: Map<string, SkuNow>, at: Date) => { view: Transfer; changes: SkuChange[] },
  ): Promise<Transfer> {
    return this.deps.ledger.apply(
      first.from_store,
      async (at) => {
        const { view: transfer, revision } = await this.deps.views.storedTransfer(first.transfer_id, {});
        if (transfer.state !== 'in_transit' && transfer.state !== 'partially_received') throw new TransferNotInTransitError(transfer.state);
        const known = await this.deps.ledger.read(
          transfer.items.flatMap(({ sku }) => [
            { storeId: transfer.from_store, sku },
            { storeId: transfer.to_store, sku },
          ]),
        );
        const { view, changes } = decide(transfer, known, at);
        return this.plan(known, view, transfer, revision, changes);
      },
      context,
      claim,
    );
  }

  /** Per item, `units × onHand` added to the store's on hand and `units × incoming` to its incoming. */
  private moved(
    known: Map<string, SkuNow>,
    storeId: string,
    items: PromisedItem[],
    onHand: -1 | 0 | 1,
    incoming: -1 | 0 | 1,
    reason: 'transfer_in' | 'transfer_out',
  ): SkuChange[] {
    return items.map(({ sku, quantity }) => {
      const { promise } = known.get(skuKey(storeId, sku)) as SkuNow;
      return {
        store_id: storeId,
        sku,
        delta: onHand * quantity,
        reason,
        promise: { ...promise, incoming: promise.incoming + incoming * quantity },
      };
    });
  }

  private plan(
    known: Map<string, SkuNow>,
    view: Transfer,
    before: Transfer | undefined,
    revision: number,
    changes: SkuChange[],
  ): PromisePlan<Transfer> {
    const ended = view.state === 'received' || view.state === 'cancelled';
    return {
      known,
      changes,
      actions: [
        this.deps.documents.put(
          KIND,
          view.transfer_id,
          view,
          { revision: { N: String(revision + 1) } },
          before && { revision: { N: String(revision) } },
          ended ? Date.parse(view.updated_at) : undefined,
        ),
      ],
      link: { transfer_id: view.transfer_id },
      reference: view.reference,
      answer: view,
    };
  }
}
