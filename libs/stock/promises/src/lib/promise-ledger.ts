import { randomUUID } from 'node:crypto';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import {
  ANONYMOUS_ACTOR,
  DependencyUnavailableError,
  InsufficientAvailableError,
  type ItemVersion,
  type MovementReason,
  promiseFields,
  type PromiseState,
  rfc3339,
  type SkuState,
  type StockMovement,
} from '@inventory/domain/model';
import {
  PromiseConditionError,
  StaleStateError,
  type StockWrite,
  type StockWriteRepository,
  TransactionConflictError,
} from '@inventory/stock/inventory-table';
import { type PromiseRecords, promiseRecordWrite } from '@inventory/stock/movements';
import { type Applied, hashOfRequest, type Idempotency, type IdempotencyClaim } from '@inventory/stock/idempotency';
import { type InventoryUpdater, SkuWriteLanes, type WriteContext } from '@inventory/stock/store-update';

/** A SKU as a promise is decided on: its item and its promise record, read strongly consistent. */
export interface SkuNow {
  state: SkuState;
  promise: PromiseState;
}

/** One SKU's part of a promise: units on hand added (negative: removed), its promise record after. */
export interface SkuChange {
  store_id: string;
  sku: string;
  delta: number;
  promise: PromiseState;
  reason: MovementReason;
  /** Units the shelf no longer held (a commit of units a till already sold): recorded, never below 0. */
  shortfall?: number;
}

/** What one attempt decided: the SKUs' changes, the promise's own actions, and the answer to record with the key. */
export interface PromisePlan<Answer> {
  /** What the attempt read (`PromiseLedger.read`) and decided on: every changed SKU's write is conditional on it. */
  known: Map<string, SkuNow>;
  changes: SkuChange[];
  actions: TransactWriteItem[];
  /** The reservation or transfer its movements name. */
  link?: { reservation_id: string } | { transfer_id: string };
  reference: string | null;
  answer: Answer;
}

const CONTENDED_AFTER_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const skuKey = (storeId: string, sku: string) => `${storeId}\n${sku}`;

/**
 * Refuses a promise of more than `available` (on hand − reserved − safety stock) of any item at
 * `storeId`, as read: 409 INSUFFICIENT_AVAILABLE naming each short item with what it has.
 */
export function assertAvailable(
  known: Map<string, SkuNow>,
  storeId: string,
  items: ReadonlyArray<{ sku: string; quantity: number }>,
): void {
  const short = items.flatMap(({ sku, quantity }) => {
    const { state, promise } = known.get(skuKey(storeId, sku)) as SkuNow;
    const { available } = promiseFields(state.quantity, promise);
    return available < quantity ? [{ sku, requested: quantity, available }] : [];
  });
  if (short.length > 0) throw new InsufficientAvailableError(short);
}

/**
 * The one way promised units change (libs/stock/README.md#promises): an attempt reads what it
 * needs (through `read`), decides, and the plan is committed as one conditional transaction (each
 * SKU's item version bumped, its movement, its promise record, the promise's records, the key).
 * Anything found moved on — an item's version, a reservation's state — and the attempt decides
 * again from what is there now. Then the counters and read versions, as every stock write.
 */
export class PromiseLedger {
  /** One lane per store in this process: its promises commit one after another instead of racing each other's conditions (only other pods' can fail them). */
  private readonly lanes = new SkuWriteLanes(1);

  constructor(
    private readonly deps: {
      writes: StockWriteRepository;
      records: PromiseRecords;
      /** The stock writer: how a stored change reaches the counters (retried in the background when Redis misses it). */
      updater: InventoryUpdater;
      idempotency: Idempotency;
      now: () => Date;
    },
  ) {}

  /** The SKUs' items and promise records, strongly consistent; the item first, so a record is never older than the version the write is conditional on. */
  async read(keys: Array<{ storeId: string; sku: string }>): Promise<Map<string, SkuNow>> {
    const states = await Promise.all(keys.map(({ storeId, sku }) => this.deps.writes.readState(storeId, sku)));
    const promiseOf = await this.deps.records.ofKeys(keys);
    return new Map(states.map((state) => [skuKey(state.store_id, state.sku), { state, promise: promiseOf(state.store_id, state.sku) }]));
  }

  /** `apply` once per `Idempotency-Key` (none: it simply runs); the key's record is checked against the route and request. */
  keyed<Answer>(
    route: string,
    request: unknown,
    context: WriteContext,
    apply: (claim: IdempotencyClaim | undefined) => Promise<Answer>,
  ): Promise<Applied<Answer>> {
    const key = context.idempotencyKey;
    return this.deps.idempotency.idempotent(key, key === undefined ? '' : hashOfRequest(route, request), apply);
  }

  /** Runs attempts, in the lane of `storeId` (the store a contended promise is about), until one commits; refusals (AppError) are the attempt's to throw. */
  apply<Answer>(
    storeId: string,
    attempt: (at: Date) => Promise<PromisePlan<Answer>>,
    context: WriteContext,
    claim: IdempotencyClaim | undefined,
  ): Promise<Answer> {
    return this.lanes.run(storeId, 'promises', () => this.applied(attempt, context, claim));
  }

  private async applied<Answer>(
    attempt: (at: Date) => Promise<PromisePlan<Answer>>,
    context: WriteContext,
    claim: IdempotencyClaim | undefined,
  ): Promise<Answer> {
    const giveUpAt = Date.now() + CONTENDED_AFTER_MS;
    for (let round = 1; Date.now() < giveUpAt; round++) {
      const at = this.deps.now();
      const plan = await attempt(at);
      const { known } = plan;
      const writes = plan.changes.map((change) =>
        this.stockWrite(change, known.get(skuKey(change.store_id, change.sku)) as SkuNow, plan, at, context, claim),
      );
      const promiseWrites = plan.changes.flatMap((change) => {
        const { state, promise: before } = known.get(skuKey(change.store_id, change.sku)) as SkuNow;
        const same =
          before.reserved === change.promise.reserved &&
          before.incoming === change.promise.incoming &&
          before.safety_stock === change.promise.safety_stock;
        // At the version its SKU's write takes.
        return same
          ? []
          : [promiseRecordWrite(this.deps.writes.tableName, change.store_id, change.sku, change.promise, state.version + 1, at)];
      });
      try {
        await this.deps.writes.commitPromise({
          writes,
          actions: [...promiseWrites, ...plan.actions],
          idempotency: claim && { ...claim, answer: JSON.stringify(plan.answer) },
          at: at.toISOString(),
        });
      } catch (error) {
        if (!(error instanceof StaleStateError || error instanceof TransactionConflictError || error instanceof PromiseConditionError))
          throw error;
        if (round > 1) await sleep(Math.random() * Math.min(100, 2 ** round));
        continue;
      }
      await this.settleCounters(writes, context);
      return plan.answer;
    }
    throw new DependencyUnavailableError('WRITE_CONTENDED', 'these SKUs are being changed by many writers at once; retry', 1);
  }

  private stockWrite(
    change: SkuChange,
    now: SkuNow,
    plan: PromisePlan<unknown>,
    at: Date,
    context: WriteContext,
    claim: IdempotencyClaim | undefined,
  ): StockWrite {
    const { state, promise } = now;
    const quantityAfter = state.quantity + change.delta;
    const movement: StockMovement = {
      movement_id: randomUUID(),
      store_id: change.store_id,
      sku: change.sku,
      delta: change.delta,
      quantity_before: state.quantity,
      quantity_after: quantityAfter,
      version: state.version + 1,
      reason: change.reason,
      source: 'api',
      reference: plan.reference,
      actor: context.actor ?? ANONYMOUS_ACTOR,
      on_behalf_of: context.onBehalfOf ?? null,
      idempotency_key: claim?.key ?? null,
      request_id: context.requestId ?? null,
      at: at.toISOString(),
      ...(change.shortfall ? { shortfall: change.shortfall } : {}),
      ...plan.link,
      reserved_before: promise.reserved,
      reserved_after: change.promise.reserved,
      incoming_before: promise.incoming,
      incoming_after: change.promise.incoming,
      safety_stock_before: promise.safety_stock,
      safety_stock: change.promise.safety_stock,
    };
    return { expected: state, movement, kind: 'adjust', updatedAt: rfc3339(at) };
  }

  /** Each store's counters and read version, as a stock write settles them. */
  private async settleCounters(writes: StockWrite[], context: WriteContext): Promise<void> {
    const byStore = new Map<string, ItemVersion[]>();
    for (const { movement } of writes) {
      const applied = { sku: movement.sku, version: movement.version, quantity: movement.quantity_after };
      byStore.set(movement.store_id, [...(byStore.get(movement.store_id) ?? []), applied]);
    }
    for (const [storeId, items] of byStore) await this.deps.updater.settleCounters(storeId, items, context.logger);
  }
}
