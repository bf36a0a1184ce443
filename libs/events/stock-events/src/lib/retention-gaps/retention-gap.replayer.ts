import { MAX_STORM_SECONDS } from '@inventory/domain/model';
import type { Logger, Metrics } from '@inventory/shared/observability';
import type { ReplayedMovement, StockEventProcessor } from '../stock-event.processor';

/** A stretch of a store's movements by their time (RFC 3339 with ms); a storm's from `stormFrom`. */
export interface GapWindow {
  from: string;
  through: string;
  stormFrom: string;
}

/** A shard's dropped records to replay, and how far the replay got (stores in id order). */
export interface RetentionGap {
  shard_id: string;
  checkpoint: string;
  from: string;
  through: string;
  storm_from: string;
  found_at: string;
  done_through: string;
}

/** Where the open gaps are kept and claimed (stock/movements' `RetentionGaps`, in the movements table). */
export interface RetentionGapStore {
  record(gap: Omit<RetentionGap, 'done_through'>): Promise<void>;
  open(): Promise<RetentionGap[]>;
  /** Claims or renews, with the progress if given; false while another pod's claim is current. */
  claim(gap: RetentionGap, owner: string, until: number, doneThrough?: string): Promise<boolean>;
  finish(gap: RetentionGap, owner: string): Promise<boolean>;
}

/**
 * Room around a gap's edges: a movement is dated by its writer before its transaction commits (within
 * the DynamoDB deadline, retries included), the stream dates a record to the second, and the two
 * clocks differ. Movements this close outside the gap are replayed too: the same events again, with
 * the same ids (receivers deduplicate on them; within a day the delivery job ids do).
 */
export const GAP_MARGIN_MS = 60_000;

/** Stores replayed between two records of a gap's progress (and renewals of its claim). */
const STORES_PER_STEP = 32;
/** Stores of a step replayed side by side. */
const STORE_LANES = 8;

/**
 * The movements a shard's dropped records carried, by time: after the checkpointed record was written
 * (`checkpointWrittenAt`; unknown: everything the movements table holds) up to the oldest record the
 * stream still has, with GAP_MARGIN_MS either side; a storm's from its longest run earlier still.
 */
export function gapWindow(checkpointWrittenAt: number | null, oldestKeptAt: number): GapWindow {
  const from = checkpointWrittenAt === null ? 0 : checkpointWrittenAt - GAP_MARGIN_MS;
  return {
    from: new Date(from).toISOString(),
    through: new Date(oldestKeptAt + GAP_MARGIN_MS).toISOString(),
    stormFrom: new Date(Math.max(0, from - MAX_STORM_SECONDS * 1_000)).toISOString(),
  };
}

export interface RetentionGapReplayerOptions {
  gaps: RetentionGapStore;
  /** A store's movements of a window, a page at a time (stock/movements' `gapMovements`). */
  history: { gapMovements(storeId: string, window: GapWindow): AsyncIterable<ReplayedMovement[]> };
  /** Every store that may have moved: the counters' (each write path counts its store). */
  stores: () => Promise<Iterable<string>>;
  processor: Pick<StockEventProcessor, 'replay'>;
  /** This pod, as its shard leases name it. */
  workerId: string;
  /** A claim not renewed this long is another pod's to take (renewed every STORES_PER_STEP stores). */
  claimMs: number;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Replays the open retention gaps (libs/events/README.md#retention): each claimed by one pod, its
 * stores in id order, a step of STORES_PER_STEP at a time, each store's movements of the window
 * handed to the processor's `replay`; its progress recorded after each step, and the gap removed
 * after the last. A pod killed mid-step leaves the claim to lapse; the next takes the gap from the
 * last recorded step (that step's stores replayed again: every effect is idempotent).
 */
export class RetentionGapReplayer {
  private running?: Promise<number>;
  private stopped = false;

  constructor(private readonly options: RetentionGapReplayerOptions) {}

  /** Replays every open gap this pod can claim; answers how many it finished. While a pass runs, another joins it. */
  pass(): Promise<number> {
    this.running ??= (async () => {
      try {
        let finished = 0;
        for (const gap of await this.options.gaps.open()) if (!this.stopped && (await this.replayGap(gap))) finished += 1;
        return finished;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Stops after the step in hand; its claim lapses for another pod to take. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }

  private async replayGap(gap: RetentionGap): Promise<boolean> {
    const { gaps, workerId, claimMs, logger, metrics } = this.options;
    if (!(await gaps.claim(gap, workerId, Date.now() + claimMs))) return false;
    const window: GapWindow = { from: gap.from, through: gap.through, stormFrom: gap.storm_from };
    const stores = [...(await this.options.stores())].filter((store) => store > gap.done_through).sort();
    logger.warn(
      { shard_id: gap.shard_id, ...window, stores: stores.length, after: gap.done_through },
      'events consumer: replaying a retention gap',
    );
    let movements = 0;
    for (let i = 0; i < stores.length; i += STORES_PER_STEP) {
      if (this.stopped) return false;
      const step = stores.slice(i, i + STORES_PER_STEP);
      const lanes = [...step];
      await Promise.all(
        Array.from({ length: Math.min(STORE_LANES, lanes.length) }, async () => {
          for (let store = lanes.shift(); store !== undefined; store = lanes.shift()) {
            for await (const page of this.options.history.gapMovements(store, window)) {
              await this.options.processor.replay(page);
              metrics.count('EventsGapMovementsReplayed', page.length);
              movements += page.length;
            }
          }
        }),
      );
      // Lost the claim (this step outlasted it): the pod that took the gap goes on from its own record.
      if (!(await gaps.claim(gap, workerId, Date.now() + claimMs, step.at(-1)))) return false;
    }
    if (!(await gaps.finish(gap, workerId))) return false;
    logger.warn({ shard_id: gap.shard_id, movements }, 'events consumer: retention gap replayed');
    return true;
  }
}
