import { randomUUID } from 'node:crypto';
import {
  ANONYMOUS_ACTOR,
  AppError,
  applyChange,
  BATCH_ROW_LIMITS,
  BatchRejectedError,
  type BatchRow,
  type BatchWriteCommand,
  DependencyUnavailableError,
  IdempotencyKeyReusedError,
  rfc3339,
  type SkuState,
  type StockChange,
  type StockMovement,
  type StockWriteAnswer,
  ValidationError,
} from '@inventory/domain/model';
import { type Applied, hashOfRequest, type IdempotencyClaim, type Idempotency } from '@inventory/stock/idempotency';
import {
  StaleStateError,
  type StockWrite,
  type StockWriteRepository,
  type StoreInventoryRepository,
  TransactionConflictError,
} from '@inventory/stock/inventory-table';
import type { InventoryCounters } from '@inventory/stock/counters-and-cache';
import type { Logger } from '@inventory/shared/observability';
import type { InventoryUpdater, WriteContext } from './inventory-updater';

export interface BatchRowResult {
  sku: string;
  status: 'applied' | 'rejected';
  item?: StockWriteAnswer;
  error?: { code: string; message: string; current?: unknown };
}

export interface BatchAnswer {
  results: BatchRowResult[];
}

export type BatchOutcome = Applied<BatchAnswer>;

export interface BatchWriterOptions {
  updater: InventoryUpdater;
  writes: StockWriteRepository;
  repository: StoreInventoryRepository;
  counters: InventoryCounters;
  logger: Logger;
  /** The batch's key applies it once; a `reject_failed_rows` row's own key (the batch's and its row number), through the updater. */
  idempotency: Idempotency;
  /** Rows of a `reject_failed_rows` batch in flight at once. */
  rowConcurrency?: number;
  now?: () => Date;
}

const ROUTE = 'batch';
const CONTENDED_AFTER_MS = 5_000;
/** A keyed `reject_all` batch's rows: its transaction's 100 actions less the batch's notice and the key's record. */
const KEYED_ALL_OR_NONE_ROWS = BATCH_ROW_LIMITS.reject_all - 1;

const changeOf = (row: BatchRow): StockChange =>
  row.delta === undefined
    ? { kind: 'set', quantity: row.quantity ?? 0, change_from_quantity: row.change_from_quantity }
    : { kind: 'adjust', delta: row.delta };

/** A row's refusal as its result says it: our own failures (5xx) too, so the caller knows to retry. */
function rejected(sku: string, error: unknown): BatchRowResult {
  if (error instanceof AppError) {
    const current = error.extra['current'];
    return { sku, status: 'rejected', error: { code: error.code, message: error.message, ...(current === undefined ? {} : { current }) } };
  }
  throw error;
}

/**
 * `POST /inventory/batch` (apps/README.md#batches).
 *
 * `reject_all`: every row decided against the SKUs' current state, then all written in one
 * transaction with the key's record — applied together or not at all; a row that cannot apply
 * rejects the batch (409 BATCH_REJECTED, nothing written). A process killed before the transaction
 * wrote nothing; after it, everything and the key (its movements follow from the stream).
 *
 * `reject_failed_rows`: each row is a single write of its own, with its own record under the
 * batch's key and its row number, so a row is applied once however often the batch is sent. The
 * batch's answer is recorded when every row is decided; a batch cut short (killed, or a row that
 * failed on our side) is not, and sending it again with its key finishes it: applied rows answer
 * from their records, the rest are tried again.
 */
export class BatchWriter {
  private readonly now: () => Date;

  constructor(private readonly options: BatchWriterOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async write(batch: BatchWriteCommand, context: WriteContext = {}): Promise<BatchOutcome> {
    const key = context.idempotencyKey;
    if (batch.error_policy === 'reject_all' && key !== undefined && batch.rows.length > KEYED_ALL_OR_NONE_ROWS) {
      const problem = `must hold at most ${KEYED_ALL_OR_NONE_ROWS} rows with error_policy reject_all and an Idempotency-Key: the key's record and the batch's notice take two of its transaction's 100 actions`;
      throw new ValidationError(`rows ${problem}`, [{ field: 'rows', problem }]);
    }
    const requestHash = key === undefined ? '' : hashOfRequest(ROUTE, batch);
    return this.options.idempotency.idempotent(key, requestHash, (claim) => this.applied(batch, context, claim));
  }

  private async applied(batch: BatchWriteCommand, context: WriteContext, key: IdempotencyClaim | undefined): Promise<BatchAnswer> {
    if (batch.error_policy === 'reject_all') return this.allOrNone(batch, context, key);
    const results = await this.rowByRow(batch, context, key);
    const answer = { results };
    const decided = results.every((result) => result.status === 'applied' || (result.error && !isOurFailure(result.error.code)));
    if (key && decided) await this.options.idempotency.recordAnswer(key, answer);
    return answer;
  }

  private async rowByRow(batch: BatchWriteCommand, context: WriteContext, key: IdempotencyClaim | undefined) {
    const results: BatchRowResult[] = new Array(batch.rows.length);
    let next = 0;
    const lane = async () => {
      for (let index = next++; index < batch.rows.length; index = next++) {
        const row = batch.rows[index];
        const rowContext: WriteContext = {
          ...context,
          // A space cannot occur in a caller's key, so a row's key never meets one.
          idempotencyKey: key && `${key.key} ${index}`,
          requestHash: key?.requestHash,
        };
        const common = { store_id: batch.store_id, sku: row.sku, reason: row.reason, reference: row.reference };
        try {
          const outcome =
            row.delta === undefined
              ? await this.options.updater.update(
                  { ...common, quantity: row.quantity ?? 0, change_from_quantity: row.change_from_quantity },
                  rowContext,
                )
              : await this.options.updater.adjust({ ...common, delta: row.delta }, rowContext);
          results[index] = { sku: row.sku, status: 'applied', item: outcome.answer };
        } catch (error) {
          // The same key with another batch is the whole request's error, not a row's.
          if (error instanceof IdempotencyKeyReusedError) throw error;
          results[index] = rejected(row.sku, error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.rowConcurrency ?? 8, batch.rows.length) }, lane));
    return results;
  }

  /** Decides every row on the state just read and writes them in one transaction; on a lost race, decides again. */
  private async allOrNone(batch: BatchWriteCommand, context: WriteContext, key: IdempotencyClaim | undefined) {
    const giveUpAt = Date.now() + CONTENDED_AFTER_MS;
    while (Date.now() < giveUpAt) {
      const states = await this.states(batch);
      const now = this.now();
      const updatedAt = rfc3339(now);
      const decisions = batch.rows.map((row) => {
        const state = states.get(row.sku) as SkuState;
        try {
          return { row, state, quantity: applyChange(state, changeOf(row)) };
        } catch (refusal) {
          return { row, state, refusal };
        }
      });
      if (decisions.some((decision) => 'refusal' in decision)) {
        const results = decisions.map((decision) =>
          'refusal' in decision
            ? rejected(decision.row.sku, decision.refusal)
            : {
                sku: decision.row.sku,
                status: 'rejected' as const,
                error: { code: 'NOT_APPLIED', message: 'another row of this reject_all batch was rejected' },
              },
        );
        const refused = results.filter((result) => result.error?.code !== 'NOT_APPLIED').length;
        throw new BatchRejectedError(`${refused} of ${batch.rows.length} rows could not be applied; nothing was applied`, results);
      }
      const writes: StockWrite[] = decisions.map(({ row, state, quantity }) => ({
        expected: state,
        kind: changeOf(row).kind,
        updatedAt,
        movement: this.movement(batch.store_id, row, state, quantity as number, context, key, now),
      }));
      const answers: StockWriteAnswer[] = writes.map(({ movement }) => ({
        store_id: movement.store_id,
        sku: movement.sku,
        quantity: movement.quantity_after,
        updated_at: updatedAt,
        version: movement.version,
        movement,
      }));
      const answer = { results: answers.map((item) => ({ sku: item.sku, status: 'applied' as const, item })) };
      try {
        await this.options.writes.commitBatch(writes, key && { ...key, answer: JSON.stringify(answer) });
      } catch (error) {
        if (error instanceof StaleStateError || error instanceof TransactionConflictError) continue;
        throw error;
      }
      await this.applyCounters(batch.store_id, answers, context);
      return answer;
    }
    throw new DependencyUnavailableError('WRITE_CONTENDED', "the batch's SKUs are being changed by many writers at once; retry", 1);
  }

  private async states(batch: BatchWriteCommand): Promise<Map<string, SkuState>> {
    const items = await this.options.repository.getItems(batch.rows.map((row) => ({ storeId: batch.store_id, sku: row.sku })));
    const states = new Map<string, SkuState>(
      batch.rows.map((row) => [row.sku, { store_id: batch.store_id, sku: row.sku, quantity: 0, version: 0 }]),
    );
    for (const item of items)
      states.set(item.sku, {
        store_id: batch.store_id,
        sku: item.sku,
        quantity: item.quantity,
        version: item.version,
        updated_at: item.updated_at,
      });
    return states;
  }

  private movement(
    storeId: string,
    row: BatchRow,
    state: SkuState,
    quantityAfter: number,
    context: WriteContext,
    key: { key: string } | undefined,
    now: Date,
  ): StockMovement {
    return {
      movement_id: randomUUID(),
      store_id: storeId,
      sku: row.sku,
      delta: quantityAfter - state.quantity,
      quantity_before: state.quantity,
      quantity_after: quantityAfter,
      version: state.version + 1,
      reason: row.reason,
      source: 'api',
      reference: row.reference ?? null,
      actor: context.actor ?? ANONYMOUS_ACTOR,
      on_behalf_of: context.onBehalfOf ?? null,
      idempotency_key: key?.key ?? null,
      request_id: context.requestId ?? null,
      at: now.toISOString(),
    };
  }

  private async applyCounters(storeId: string, answers: StockWriteAnswer[], context: WriteContext): Promise<void> {
    const items = answers.map(({ sku, version, quantity }) => ({ sku, version, quantity }));
    try {
      await this.options.counters.apply(storeId, items);
    } catch (error) {
      (context.logger ?? this.options.logger).error(
        { err: error, store_id: storeId, skus: items.length },
        'batch stored, counters not updated: retrying in the background',
      );
      for (const item of items) this.options.updater.pendingApplies.add(storeId, item);
    }
  }
}

/** A row that failed on our side (DynamoDB away, contention): worth sending again. */
function isOurFailure(code: string): boolean {
  return code === 'DYNAMODB_UNAVAILABLE' || code === 'WRITE_CONTENDED' || code === 'IDEMPOTENCY_KEY_IN_USE';
}
