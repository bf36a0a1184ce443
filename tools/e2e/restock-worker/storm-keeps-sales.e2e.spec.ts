import { once } from 'node:events';
import { AppError, skuOf, storeIdOf } from '@inventory/domain/model';
import { seedInventory } from '@inventory/stock/maintenance';
import { testUpdater } from '@inventory/stock/store-update/testing';
import { seededLedger } from '@inventory/stock/maintenance/testing';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { dispatchStorm } from '@inventory/restock/storm';
import { manifestRecord } from '@inventory/restock/store-processing';
import { waitForStorm } from '@inventory/restock/store-processing/testing';
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

describe('a Restock Storm while tills sell, its workers SIGKILLed part-way', () => {
  let bed: StormTestBed;

  beforeAll(async () => {
    bed = await startStormTestBed('storm-sales');
  });

  afterAll(() => bed?.stop());

  it('when it ends, then every SKU holds the manifest (or the last count after it) plus every sale after it: none lost, none twice', async () => {
    const { env, queue, records } = bed;
    const parameters = { stores: STORES, skus_per_store: SKUS, manifest_seed: 4242, change_ratio: 0.3 };
    await seedInventory(env.backends, { stores: STORES, skusPerStore: SKUS });
    const dispatched = await dispatchStorm(queue, records, { ...parameters, duration_seconds: 600, target_cpu: 60 });
    if (!('record' in dispatched)) throw new Error('a storm was already running');
    const stormId = dispatched.record.storm_id;

    // Tills: sales of one unit, and now and then a count (a set), accepted after the storm's count.
    const updater = testUpdater(env);
    const accepted: Accepted[] = [];
    let refused = 0;
    let stormRunning = true;
    const till = async () => {
      while (stormRunning || accepted.length < MIN_CHANGES) {
        const store = 1 + Math.floor(Math.random() * STORES);
        const sku = skuOf(Math.floor(Math.random() * HOT_SKUS));
        const count = Math.random() < 0.1;
        try {
          if (count) {
            const value = Math.floor(Math.random() * 50);
            const { answer } = await updater.update({ store_id: storeIdOf(store), sku, quantity: value, reason: 'correction' });
            accepted.push({ store, sku, kind: 'set', value, version: answer.version });
          } else {
            const { answer } = await updater.adjust({ store_id: storeIdOf(store), sku, delta: -1, reason: 'sale' });
            accepted.push({ store, sku, kind: 'adjust', value: -1, version: answer.version });
          }
        } catch (error) {
          if (!(error instanceof AppError && error.status === 409)) throw error;
          refused += 1;
        }
        // A till's pace, not a flood: the storm's workers need the box's cores.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const tills = Promise.all(Array.from({ length: 2 }, till));

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
    await tills;

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
    // Every seeded SKU, and no other, in the table; each one's history, storm and sales interleaved,
    // chains from its seeded quantity to what it holds, no movement twice.
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
      `storm with tills: ${accepted.length} changes accepted (${refused} refused), ${done.skus_written} SKUs written, ` +
        `${stormMovements - done.skus_written} overwritten changes put back, ${shortfalls.size} shortfalls\n`,
    );
  }, 600_000);
});
