import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { ItemVersion, MovementKind, PromiseAround, StockEvent, StockMovement } from '@inventory/domain/model';
import { type LowStockThresholdRepository, stockEventsOf } from '@inventory/events/low-stock';
import type { Logger, Metrics } from '@inventory/shared/observability';
import type { WebhookDeliveryData, Webhook } from '@inventory/events/webhooks';
import { derivedMovement, type StreamChange, streamChange } from './stream-change';

/** What the counters' catch-up needs of a change: the SKU's state after it. */
type ItemChange = Pick<StreamChange, 'storeId' | 'sku' | 'version' | 'quantity'>;
type Moved = { change: ItemChange; movement: StockMovement };

/** A movement whose stream record was dropped, as the movements table holds it: set or adjust, and whether it is recorded yet. */
export interface ReplayedMovement {
  movement: StockMovement;
  kind: MovementKind;
  recorded: boolean;
}

/** Where a change's movement is found, or recorded (a batch row's): stock/movements' history. */
export interface MovementLedger {
  recordMovement(movement: StockMovement, change: MovementKind): Promise<unknown>;
  /** The recorded movements of many changes, found by store, SKU and version. */
  movementsOf(
    changes: Array<{ storeId: string; sku: string; version: number; at: string }>,
  ): Promise<(storeId: string, sku: string, version: number) => StockMovement | undefined>;
}

/** Stores of one page worked at once: a slow store (its webhooks, its counters) never holds up the others. */
const STORE_LANES = 8;

/** The counters a page catches up (stock/counters-and-cache): only versions they do not hold yet are applied. */
export interface CounterCatchUp {
  newerThanApplied(storeId: string, items: ItemVersion[]): Promise<ItemVersion[]>;
  apply(storeId: string, items: ItemVersion[]): Promise<unknown>;
}

/** What each movement's SKU promised around it (stock/movements' promise records): what its crossings are judged on. */
export interface PromisesAround {
  around(movements: StockMovement[]): Promise<PromiseAround[]>;
}

export interface StockEventProcessorOptions {
  history: MovementLedger;
  promises: PromisesAround;
  counters: CounterCatchUp;
  thresholds: LowStockThresholdRepository;
  /** The registered webhooks (cached by the caller: read for every page). */
  webhooks: () => Promise<Webhook[]>;
  /** Enqueues deliveries; idempotent per webhook and event. */
  deliver: (deliveries: WebhookDeliveryData[]) => Promise<void>;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Turns a page of the inventory table's stream into what libs/events/README.md promises from it, each
 * step idempotent so a page taken twice (a consumer killed before its checkpoint) changes nothing
 * more: (1) a batch row's movement is recorded (the same record again); (2) the counters and the
 * store's read version catch up with any change the request path failed to apply (versions only
 * move forward); (3) each movement becomes its events (crossings judged on `available`, so on what
 * the SKU promised around it), and each event a delivery to every webhook
 * that asked for its type (one job per webhook and event id).
 */
export class StockEventProcessor {
  constructor(private readonly options: StockEventProcessorOptions) {}

  async handle(records: _Record[]): Promise<void> {
    const changes: Array<{ change: StreamChange; record: _Record }> = [];
    for (const record of records) {
      const change = streamChange(record);
      if (change) changes.push({ change, record });
    }
    if (changes.length === 0) return;
    // The movements API writes recorded, read for the whole page at once.
    const recorded = await this.options.history.movementsOf(
      changes.flatMap(({ change }) =>
        change.movement.kind === 'recorded'
          ? [{ storeId: change.storeId, sku: change.sku, version: change.version, at: change.movement.at }]
          : [],
      ),
    );
    const moved: Moved[] = [];
    for (const { change, record } of changes) moved.push({ change, movement: await this.movementOf(change, record, recorded) });
    await this.handleStores(moved);
  }

  /**
   * Movements whose stream records the stream dropped (a retention gap, libs/events/README.md#retention),
   * as the movements table holds them: what their records would have done, with the same effects
   * (a batch row's movement recorded, counters caught up, the same events and job ids).
   */
  async replay(movements: ReplayedMovement[]): Promise<void> {
    for (const { movement, kind, recorded } of movements) if (!recorded) await this.options.history.recordMovement(movement, kind);
    await this.handleStores(
      movements.map(({ movement }) => ({
        change: { storeId: movement.store_id, sku: movement.sku, version: movement.version, quantity: movement.quantity_after },
        movement,
      })),
    );
  }

  private async handleStores(moved: Moved[]): Promise<void> {
    const byStore = new Map<string, Moved[]>();
    for (const entry of moved) {
      const lane = byStore.get(entry.change.storeId);
      if (lane) lane.push(entry);
      else byStore.set(entry.change.storeId, [entry]);
    }
    const webhooks = await this.options.webhooks();
    // A store's changes stay in order in its lane (a SKU's are always its store's); stores run side by side.
    const lanes = [...byStore.values()];
    const work = async () => {
      for (let lane = lanes.shift(); lane; lane = lanes.shift()) await this.handleStore(lane, webhooks);
    };
    await Promise.all(Array.from({ length: Math.min(STORE_LANES, lanes.length) }, work));
  }

  private async handleStore(changes: Moved[], webhooks: Webhook[]): Promise<void> {
    await this.catchUpCounters(changes.map(({ change }) => change));
    const events = await this.eventsOf(changes.map(({ movement }) => movement));
    const deliveries: WebhookDeliveryData[] = [];
    for (const event of events) {
      this.options.metrics.count('StockEvents', 1, { type: event.type });
      for (const webhook of webhooks) if (webhook.events.includes(event.type)) deliveries.push({ webhook_id: webhook.webhook_id, event });
    }
    await this.options.deliver(deliveries);
  }

  private async movementOf(
    change: StreamChange,
    record: _Record,
    recorded: (storeId: string, sku: string, version: number) => StockMovement | undefined,
  ): Promise<StockMovement> {
    const { movement } = change;
    if (movement.kind === 'inline') {
      if (!movement.recorded) await this.options.history.recordMovement(movement.movement, movement.change);
      return movement.movement;
    }
    if (movement.kind === 'recorded') {
      const found = recorded(change.storeId, change.sku, change.version);
      if (found) return found;
      this.options.logger.error(
        { store_id: change.storeId, sku: change.sku, version: change.version },
        'a change names a movement record that is not there',
      );
    }
    return derivedMovement(change, record.dynamodb?.ApproximateCreationDateTime ?? new Date(0));
  }

  /** Applies, store by store, the changes the counters do not hold yet. */
  private async catchUpCounters(changes: ItemChange[]): Promise<void> {
    const byStore = new Map<string, Map<string, ItemVersion>>();
    for (const { storeId, sku, version, quantity } of changes) {
      const items = byStore.get(storeId) ?? new Map<string, ItemVersion>();
      items.set(sku, { sku, version, quantity }); // a page's last change of a SKU is its newest
      byStore.set(storeId, items);
    }
    for (const [storeId, items] of byStore) {
      const missing = await this.options.counters.newerThanApplied(storeId, [...items.values()]);
      if (missing.length === 0) continue;
      this.options.logger.debug(
        { store_id: storeId, skus: missing.length },
        'events consumer: applying changes the counters do not hold yet',
      );
      await this.options.counters.apply(storeId, missing);
    }
  }

  private async eventsOf(movements: StockMovement[]): Promise<StockEvent[]> {
    const thresholds = new Map<string, Map<string, number>>();
    const events: StockEvent[] = [];
    const around = await this.options.promises.around(movements);
    for (const [i, movement] of movements.entries()) {
      let ofStore = thresholds.get(movement.store_id);
      if (!ofStore) {
        ofStore = await this.options.thresholds.ofStore(movement.store_id);
        thresholds.set(movement.store_id, ofStore);
      }
      events.push(...stockEventsOf(movement, ofStore.get(movement.sku), around[i]));
    }
    return events;
  }
}
