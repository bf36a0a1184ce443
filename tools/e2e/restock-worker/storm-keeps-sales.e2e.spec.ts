import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { AppError, DependencyUnavailableError, skuOf, type StockMovement, storeIdOf } from '@inventory/domain/model';
import { reconcileCounters, seedInventory } from '@inventory/stock/maintenance';
import { testStockWriters } from '@inventory/stock/store-update/testing';
import { seededLedger } from '@inventory/stock/maintenance/testing';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { dispatchStorm } from '@inventory/restock/storm';
import { manifestRecord } from '@inventory/restock/store-processing';
import { waitForStorm } from '@inventory/restock/store-processing/testing';
import { waitUntil } from '@inventory/service/testing';
import { type StormTestBed, startStormTestBed } from './storm-test-bed';

const STORES = 20;
const SKUS = 2_000;
/** Sales and counts go to the first SKUs of each store, so many SKUs get several. */
const HOT_SKUS = 150;
const MIN_CHANGES = 500;

/** An accepted change as the till saw it: its kind, its value, and the version that orders it. */
interface Accepted {
  store: number;
  sku: string;
  kind: 'set' | 'adjust';
  value: number;
  version: number;
}

describe('a Restock Storm while every write path changes its SKUs, its workers SIGKILLed part-way, no events consumer running', () => {
  let bed: StormTestBed;

  beforeAll(async () => {
    bed = await startStormTestBed('storm-sales');
  });

  afterAll(() => bed?.stop());

  it('when it ends, then every SKU holds the manifest (or the last count after it) plus every change accepted after it, by any path: none lost, none twice', async () => {
    const { env, queue, records } = bed;
    const parameters = { stores: STORES, skus_per_store: SKUS, manifest_seed: 4242, change_ratio: 0.3 };
    await seedInventory(env.backends, { stores: STORES, skusPerStore: SKUS });
    const dispatched = await dispatchStorm(queue, records, { ...parameters, duration_seconds: 600, target_cpu: 60 });
    if (!('record' in dispatched)) throw new Error('a storm was already running');
    const stormId = dispatched.record.storm_id;

    // Tills and back offices, all after the storm's count: sales of one unit, counts (sets), and
    // batches of both policies mixing the two, while an operator reconciles the counters.
    const writers = testStockWriters(env);
    /**
     * A till's call, keyed: one DynamoDB could not answer in time (a 503 on this loaded box) is sent
     * again with the same key, as a client does, and applies once whichever attempt landed.
     */
    const keyed = async <T>(call: (context: { idempotencyKey: string }) => Promise<T>): Promise<T> => {
      const context = { idempotencyKey: randomUUID() };
      for (let attempt = 1; ; attempt++) {
        try {
          return await call(context);
        } catch (error) {
          if (!(error instanceof DependencyUnavailableError) || attempt === 10) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    };
    const accepted: Accepted[] = [];
    const batchMovements: StockMovement[] = [];
    const acceptedBy = { single: 0, reject_all: 0, reject_failed_rows: 0 };
    let refused = 0;
    let stormRunning = true;
    const change = () => {
      const count = Math.random() < 0.1;
      return count ? { kind: 'set' as const, value: Math.floor(Math.random() * 50) } : { kind: 'adjust' as const, value: -1 };
    };
    const single = async (store: number) => {
      const sku = skuOf(Math.floor(Math.random() * HOT_SKUS));
      const { kind, value } = change();
      const common = { store_id: storeIdOf(store), sku, reason: kind === 'set' ? ('correction' as const) : ('sale' as const) };
      const { answer } =
        kind === 'set'
          ? await keyed((context) => writers.updater.update({ ...common, quantity: value }, context))
          : await keyed((context) => writers.updater.adjust({ ...common, delta: value }, context));
      accepted.push({ store, sku, kind, value, version: answer.version });
      acceptedBy.single += 1;
    };
    const batch = async (store: number, policy: 'reject_all' | 'reject_failed_rows') => {
      const skus = [
        ...new Set(Array.from({ length: 1 + Math.floor(Math.random() * 5) }, () => skuOf(Math.floor(Math.random() * HOT_SKUS)))),
      ];
      const planned = skus.map((sku) => ({ sku, ...change() }));
      const rows = planned.map(({ sku, kind, value }) =>
        kind === 'set' ? { sku, quantity: value, reason: 'correction' as const } : { sku, delta: value, reason: 'sale' as const },
      );
      const { answer } = await keyed((context) =>
        writers.batches.write({ store_id: storeIdOf(store), error_policy: policy, rows }, context),
      );
      for (const [i, result] of answer.results.entries()) {
        if (result.status !== 'applied' || !result.item) continue;
        const { sku, kind, value } = planned[i] as (typeof planned)[number];
        accepted.push({ store, sku, kind, value, version: result.item.version });
        acceptedBy[policy] += 1;
        if (policy === 'reject_all') batchMovements.push(result.item.movement);
      }
    };
    const till = async () => {
      while (stormRunning || accepted.length < MIN_CHANGES) {
        const store = 1 + Math.floor(Math.random() * STORES);
        const path = Math.random();
        try {
          if (path < 0.6) await single(store);
          else await batch(store, path < 0.8 ? 'reject_all' : 'reject_failed_rows');
        } catch (error) {
          if (!(error instanceof AppError && error.status === 409)) throw error;
          refused += 1;
        }
        // A till's pace, not a flood: the storm's workers need the box's cores.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const tills = Promise.all(Array.from({ length: 2 }, till));
    let reconciles = 0;
    const operator = (async () => {
      while (stormRunning) {
        await reconcileCounters(env.backends, { repair: true });
        reconciles += 1;
      }
    })();

    // Two workers in turn are SIGKILLed part-way; a third finishes the storm.
    for (const storesDone of [4, 10]) {
      const doomed = bed.startWorker();
      await waitForStorm(records, stormId, (r) => r.stores_done >= storesDone, 120_000);
      doomed.kill('SIGKILL');
      await once(doomed, 'exit');
    }
    bed.startWorker();
    const done = await waitForStorm(records, stormId, (r) => r.state !== 'running', 120_000);
    stormRunning = false;
    await Promise.all([tills, operator]);

    // The value libs/restock/README.md#live-changes-are-kept states, computed here from the manifest and the tills' own accepted answers, in version order.
    const expected = new Map<string, number>();
    const shortfalls = new Set<string>();
    for (let store = 1; store <= STORES; store += 1) {
      const changes = accepted.filter((change) => change.store === store).sort((a, b) => a.version - b.version);
      for (let i = 0; i < SKUS; i += 1) {
        const sku = skuOf(i);
        let base = manifestRecord(parameters.manifest_seed, store, i, parameters.change_ratio).quantity;
        let added = 0;
        for (const change of changes) {
          if (change.sku !== sku) continue;
          if (change.kind === 'set') [base, added] = [change.value, 0];
          else added += change.value;
        }
        if (base + added < 0) shortfalls.add(`${store}/${sku}`);
        const quantity = Math.max(0, base + added);
        expected.set(`${store}/${sku}`, quantity);
      }
    }
    const wrong: string[] = [];
    for (let store = 1; store <= STORES; store += 1) {
      const storeId = storeIdOf(store);
      const table = new Map((await env.backends.repository.listStoreItems(storeId)).map((item) => [item.sku, item.quantity]));
      for (const [sku, quantity] of table) {
        if (expected.get(`${store}/${sku}`) !== quantity)
          wrong.push(`${storeId}/${sku}: ${quantity}, expected ${expected.get(`${store}/${sku}`)}`);
      }
      expect(await env.backends.counters.storeQuantities(storeId)).toEqual(table);
    }

    expect(done).toMatchObject({ state: 'completed', stores_done: STORES, errors: 0 });
    expect(accepted.length).toBeGreaterThanOrEqual(MIN_CHANGES);
    expect(wrong).toEqual([]);
    for (const path of Object.values(acceptedBy)) expect(path).toBeGreaterThanOrEqual(20);
    expect(reconciles).toBeGreaterThanOrEqual(1);

    // The all-or-none batches' movements reach the history from the stream: the consumer, started
    // only now, records them; then every seeded SKU, and no other, is in the table, and each one's
    // history, storm, sales and batches interleaved, chains from its seeded quantity to what it
    // holds, no movement twice.
    bed.startWorker({ WORKER_ROLE: 'events', EVENTS_IDLE_MS: '100' });
    await waitUntil(
      'the consumer to record every batch movement',
      async () => {
        const recorded = await env.backends.history.movementsOf(
          batchMovements.map((m) => ({ storeId: m.store_id, sku: m.sku, version: m.version, at: m.at })),
        );
        return batchMovements.every((m) => recorded(m.store_id, m.sku, m.version) !== undefined);
      },
      180_000,
      1_000,
    );
    expect(await ledgerProblemsIn(env.backends, seededLedger(STORES, SKUS))).toEqual([]);
    expect(done.shortfalls).toBe(shortfalls.size);
    let stormMovements = 0;
    for (let store = 1; store <= STORES; store += 1) {
      const changes = await env.backends.history.changesSince(storeIdOf(store), dispatched.record.counted_at);
      stormMovements += changes.filter((change) => change.source === 'storm').length;
    }
    // One movement per SKU written, and one more per SKU whose overwritten change was put back.
    expect(stormMovements).toBeGreaterThanOrEqual(done.skus_written);
    process.stdout.write(
      `storm with tills: ${accepted.length} changes accepted (${JSON.stringify(acceptedBy)}; ${refused} refused), ` +
        `${reconciles} reconciles, ${done.skus_written} SKUs written, ` +
        `${stormMovements - done.skus_written} overwritten changes put back, ${shortfalls.size} shortfalls\n`,
    );
  }, 600_000);
});
