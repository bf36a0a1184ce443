import { once } from 'node:events';
import { baselineQuantity, storeIdOf } from '@inventory/domain/model';
import { seedInventory } from '@inventory/stock/maintenance';
import { freePort, type LocalCloudWatch, startLocalCloudWatch } from '@inventory/shared/local-services';
import { dispatchStorm } from '@inventory/restock/storm';
import { manifestRecord } from '@inventory/restock/store-processing';
import { storesDifferingFromManifest, waitForStorm } from '@inventory/restock/store-processing/testing';
import { seededLedger } from '@inventory/stock/maintenance/testing';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { type StormTestBed, startStormTestBed } from './storm-test-bed';

describe('restock-worker killed mid-storm, again and again', () => {
  let bed: StormTestBed;
  let cloudWatch: LocalCloudWatch;

  beforeAll(async () => {
    bed = await startStormTestBed('restock');
    cloudWatch = await startLocalCloudWatch();
  });

  afterAll(async () => {
    await cloudWatch?.stop();
    await bed?.stop();
  });

  it('when workers are SIGKILLed part-way, one after another, and a last one (on a 2-core allowance: CPU stage on 2 threads) takes over, then the end state is that of one clean run', async () => {
    const { env, queue, records } = bed;
    const parameters = { stores: 40, skus_per_store: 1_000, manifest_seed: 77, change_ratio: 0.3 };
    await seedInventory(env.backends, { stores: parameters.stores, skusPerStore: parameters.skus_per_store });
    const dispatched = await dispatchStorm(queue, records, { ...parameters, duration_seconds: 600, target_cpu: 60 });
    if (!('record' in dispatched)) throw new Error('a storm was already running');
    const stormId = dispatched.record.storm_id;

    // Three workers in turn are SIGKILLed part-way, each after the storm moved on a few stores.
    const orphaned: number[] = [];
    for (const storesDone of [4, 10, 16]) {
      const doomed = bed.startWorker();
      await waitForStorm(records, stormId, (r) => r.stores_done >= storesDone, 60_000);
      doomed.kill('SIGKILL');
      await once(doomed, 'exit');
      orphaned.push(await queue.getActiveCount());
    }

    const managementPort = await freePort();
    const last = bed.startWorker({
      MANAGEMENT_PORT: String(managementPort),
      RESTOCK_CPU_CORES: '2',
      CLOUDWATCH_METRICS_ENABLED: 'true',
      CLOUDWATCH_ENDPOINT: cloudWatch.url,
      METRICS_FLUSH_SECONDS: '3600',
    });
    const done = await waitForStorm(records, stormId, (r) => r.state !== 'running', 90_000);

    // Each kill landed mid-job: jobs were left active, and BullMQ handed them to the next worker.
    expect(orphaned.every((count) => count > 0)).toBe(true);
    const recovered = (await queue.getJobs(['completed'])).filter((job) => job.data.storm_id === stormId && job.stalledCounter > 0);
    expect(recovered.length).toBeGreaterThan(0);

    let changed = 0;
    let units = 0;
    for (let store = 1; store <= parameters.stores; store += 1) {
      for (let sku = 0; sku < parameters.skus_per_store; sku += 1) {
        const { quantity } = manifestRecord(parameters.manifest_seed, store, sku, parameters.change_ratio);
        if (quantity !== baselineQuantity(store, sku)) changed += 1;
        units += quantity;
      }
    }
    expect(done).toMatchObject({
      state: 'completed',
      stores_done: 40,
      stores_partial: 0,
      skus_checked: 40_000,
      skus_written: changed,
      skus_unchanged: 40_000 - changed,
      errors: 0,
    });
    expect(await storesDifferingFromManifest(env.backends, parameters)).toEqual([]);
    expect(await env.backends.counters.totals()).toMatchObject({ units, skus: 40_000, stores: 40 });
    // Jobs taken over re-recorded their movements: each SKU written has exactly one storm movement
    // (no live change to put back here), and every SKU's history chains from its seeded quantity.
    let stormMovements = 0;
    for (let store = 1; store <= parameters.stores; store += 1) {
      const changes = await env.backends.history.changesSince(storeIdOf(store), dispatched.record.counted_at);
      stormMovements += changes.filter((change) => change.source === 'storm').length;
    }
    expect(stormMovements).toBe(changed);
    expect(await ledgerProblemsIn(env.backends, seededLedger(parameters.stores, parameters.skus_per_store))).toEqual([]);

    // The worker that finished the storm counted its ending once, and its own share of the SKUs.
    const exposition = await (await fetch(`http://127.0.0.1:${managementPort}/metrics`)).text();
    expect(exposition).toMatch(/^inventory_restock_completed_total\{outcome="completed",app="restock-worker"\} 1$/m);
    const iterations = Number(/^inventory_restock_iterations_total\{app="restock-worker"\} (\d+)$/m.exec(exposition)?.[1]);
    expect(iterations).toBeGreaterThan(0);
    expect(iterations).toBeLessThanOrEqual(40_000);
    expect(exposition).toMatch(/^inventory_restock_cpu_percent\{app="restock-worker"\} /m);
    expect(exposition).toMatch(/^inventory_restock_cpu_stage_threads\{app="restock-worker"\} 2$/m);
    expect(exposition).toMatch(/^inventory_restock_queue_jobs\{state="completed",app="restock-worker"\} \d+$/m);

    last.kill('SIGTERM');
    const [code] = await once(last, 'exit');
    expect(code).toBe(0);
    // SIGTERM's last step flushed what CloudWatch had not had yet.
    const sent = cloudWatch.requests.flatMap((request) => request.body.MetricData);
    expect(sent.find((datum) => datum.MetricName === 'RestockCompleted')).toMatchObject({ Values: [1], Counts: [1] });
    const sentIterations = sent.filter((datum) => datum.MetricName === 'RestockIterations');
    expect(
      sentIterations.reduce((sum, datum) => sum + (datum.Values ?? []).reduce((s, v, i) => s + v * (datum.Counts ?? [])[i], 0), 0),
    ).toBe(iterations);
  }, 180_000);
});
