import { randomUUID } from 'node:crypto';
import {
  type AdjustInventoryCommand,
  ANONYMOUS_ACTOR,
  AppError,
  applyChange,
  DependencyUnavailableError,
  type ItemVersion,
  type MovementReason,
  rfc3339,
  type StockChange,
  type StockMovement,
  type StockWriteAnswer,
  type UpdateInventoryCommand,
} from '@inventory/domain/model';
import { StaleStateError, type StockWriteRepository, TransactionConflictError } from '@inventory/stock/inventory-table';
import { type Applied, hashOfRequest, type Idempotency, type IdempotencyClaim } from '@inventory/stock/idempotency';
import type { InventoryCounters } from '@inventory/stock/counters-and-cache';
import type { Logger, Metrics } from '@inventory/shared/observability';
import { PendingCounterApplies } from './pending-counter-applies';
import { type SkuLane, SkuWriteLanes } from './sku-write-lanes';

export interface InventoryUpdaterOptions {
  writes: StockWriteRepository;
  counters: InventoryCounters;
  logger: Logger;
  metrics: Metrics;
  /** Keyed writes apply once (stock/idempotency). */
  idempotency: Idempotency;
  now?: () => Date;
}

/** Who asks for a write, and under which key (apps/README.md#idempotency-keys). */
export interface WriteContext {
  /** The authenticated principal, as the ledger names it (`actorOf`). */
  actor?: string;
  /** `X-Actor`: who the principal acts for. */
  onBehalfOf?: string;
  requestId?: string;
  idempotencyKey?: string;
  /** What the key's record is checked against; by default the route and request, hashed (a batch row gives its batch's). */
  requestHash?: string;
  logger?: Logger;
}

export type WriteOutcome = Applied<StockWriteAnswer>;

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
export type UpdateRequest = Optional<UpdateInventoryCommand, 'reason'>;
export type AdjustRequest = Optional<AdjustInventoryCommand, 'reason'>;

/**
 * How long a write may keep losing its compare-and-swap to other pods before it gives up (503,
 * retry). A pod with a queue of writes for one SKU commits them back to back, so another pod's
 * write may lose until that queue drains: the bound is in time, not in rounds.
 */
const CONTENDED_AFTER_MS = 5_000;
const MAX_BACKOFF_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stock writes (apps/README.md#stock-movements): the original's set (with an optional compare-and-swap) and the atomic
 * adjust. Each is decided against the SKU's current state and stored with its movement record
 * (and its idempotency record) in one conditional transaction; a write that finds the SKU moved on
 * decides again from what it found. Then the MemoryDB counters and the store's read version, in
 * one atomic script. If Redis fails after the write, the write stands: the caller gets the stored
 * item and the counters apply is retried in the background (PendingCounterApplies); if the process
 * dies first, the SKU's next write carries its absolute state there and reconcile repairs the rest.
 */
export class InventoryUpdater {
  private readonly now: () => Date;
  private readonly lanes = new SkuWriteLanes();
  readonly pendingApplies: PendingCounterApplies;

  constructor(private readonly options: InventoryUpdaterOptions) {
    this.now = options.now ?? (() => new Date());
    this.pendingApplies = new PendingCounterApplies(options.counters, options.logger, async (storeId, sku) => {
      const state = await options.writes.readState(storeId, sku);
      return state.version > 0 ? { sku, version: state.version, quantity: state.quantity } : undefined;
    });
  }

  /** `POST /inventory/update`: sets the quantity; with `change_from_quantity`, only if it still holds that. */
  async update(command: UpdateRequest, context: WriteContext = {}): Promise<WriteOutcome> {
    const change: StockChange = { kind: 'set', quantity: command.quantity, change_from_quantity: command.change_from_quantity };
    return this.write('update', command, change, context);
  }

  /** `POST /inventory/adjust`: adds `delta` atomically; the result never goes below 0. */
  async adjust(command: AdjustRequest, context: WriteContext = {}): Promise<WriteOutcome> {
    return this.write('adjust', command, { kind: 'adjust', delta: command.delta }, context);
  }

  private async write(
    route: string,
    command: UpdateRequest | AdjustRequest,
    change: StockChange,
    context: WriteContext,
  ): Promise<WriteOutcome> {
    const key = context.idempotencyKey;
    // The same key with another request is refused: the route and the validated request, hashed (only when keyed).
    const requestHash = key === undefined ? '' : (context.requestHash ?? hashOfRequest(route, command));
    return this.options.idempotency.idempotent(key, requestHash, (claim) => this.applied(command, change, context, claim));
  }

  /** Stores the change, then applies it to the counters; answers what was stored. */
  private async applied(
    command: UpdateRequest | AdjustRequest,
    change: StockChange,
    context: WriteContext,
    idempotency: IdempotencyClaim | undefined,
  ): Promise<StockWriteAnswer> {
    const { store_id, sku } = command;
    let answer: StockWriteAnswer;
    try {
      answer = await this.lanes.run(store_id, sku, (lane) => this.stored(command, change, context, idempotency, lane));
    } catch (error) {
      // A refusal (409) is the caller's answer, visible by status; UpdateError counts our failures.
      if (!(error instanceof AppError && error.status < 500)) this.options.metrics.count('UpdateError');
      // DynamoDB went away mid-call: the write may have landed. Its counters follow once it is back.
      if (error instanceof DependencyUnavailableError) this.pendingApplies.addUnsure(store_id, sku);
      throw error;
    }
    this.options.metrics.count('InventoryUpdated');
    await this.settleCounters(store_id, [{ sku, version: answer.version, quantity: answer.quantity }], context.logger);
    return answer;
  }

  /**
   * States stored in DynamoDB, applied to the counters and the store's read version (this write's,
   * or a promise's: stock/promises). If Redis fails the write stands, and the apply is retried in
   * the background.
   */
  async settleCounters(storeId: string, applied: ItemVersion[], logger: Logger = this.options.logger): Promise<void> {
    try {
      await this.options.counters.apply(storeId, applied);
    } catch (error) {
      logger.error(
        { err: error, store_id: storeId, skus: applied.map((item) => item.sku) },
        'stored in DynamoDB, but MemoryDB counters and cache version were not updated: retrying in the background',
      );
      for (const item of applied) this.pendingApplies.add(storeId, item);
    }
  }

  /**
   * The compare-and-swap loop, in the SKU's lane: decide from the state last seen (or read), write
   * conditionally on its version, and on a miss decide again from the state the miss returned. A
   * refusal (409) is only ever decided on a state read from DynamoDB in this request.
   */
  private async stored(
    command: UpdateRequest | AdjustRequest,
    change: StockChange,
    context: WriteContext,
    idempotency: IdempotencyClaim | undefined,
    lane: SkuLane,
  ): Promise<StockWriteAnswer> {
    const { store_id, sku } = command;
    let state = lane.known();
    let confirmed = false;
    const giveUpAt = Date.now() + CONTENDED_AFTER_MS;
    for (let attempt = 1; Date.now() < giveUpAt; attempt++) {
      if (!state) {
        state = await this.options.writes.readState(store_id, sku);
        confirmed = true;
      }
      let quantityAfter: number;
      try {
        quantityAfter = applyChange(state, change);
      } catch (refusal) {
        if (confirmed) throw refusal;
        state = undefined; // decided on a remembered state: read the real one first
        continue;
      }
      const now = this.now();
      const movement: StockMovement = {
        movement_id: randomUUID(),
        store_id,
        sku,
        delta: quantityAfter - state.quantity,
        quantity_before: state.quantity,
        quantity_after: quantityAfter,
        version: state.version + 1,
        reason: command.reason ?? ('correction' satisfies MovementReason),
        source: 'api',
        reference: command.reference ?? null,
        actor: context.actor ?? ANONYMOUS_ACTOR,
        on_behalf_of: context.onBehalfOf ?? null,
        idempotency_key: idempotency?.key ?? null,
        request_id: context.requestId ?? null,
        at: now.toISOString(),
      };
      const updatedAt = rfc3339(now);
      const answer: StockWriteAnswer = {
        store_id,
        sku,
        quantity: quantityAfter,
        updated_at: updatedAt,
        version: movement.version,
        movement,
      };
      try {
        await this.options.writes.commit({
          expected: state,
          kind: change.kind,
          movement,
          updatedAt,
          idempotency: idempotency && { ...idempotency, answer: JSON.stringify(answer) },
        });
        lane.remember({ store_id, sku, quantity: quantityAfter, version: movement.version, updated_at: updatedAt });
        return answer;
      } catch (error) {
        if (error instanceof StaleStateError) {
          state = error.current;
          confirmed = true;
          lane.remember(state);
        } else if (error instanceof TransactionConflictError) {
          state = undefined;
        } else {
          lane.forget();
          throw error;
        }
        // Lost to another pod: the first retry at once, then back off with full jitter, so pods
        // racing for one hot SKU take turns instead of each retrying into the other's next write.
        if (attempt > 1) await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attempt));
      }
    }
    throw new DependencyUnavailableError('WRITE_CONTENDED', `${sku} is being changed by many writers at once; retry`, 1);
  }
}
