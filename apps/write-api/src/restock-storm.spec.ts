import type { Worker } from 'bullmq';
import { type InventoryTestEnvironment, jsonOf, startInventoryTestEnvironment } from '@inventory/service/testing';
import { createRedisConnection, type RedisConnection } from '@inventory/shared/redis';
import { type RestockQueue, startRestockWorker } from '@inventory/restock/queue';
import { StormRecords, stopStormAtDeadline } from '@inventory/restock/storm';
import { cpuAllowanceCores, CpuGovernor } from '@inventory/restock/cpu-governor';
import { createRestockProcessor } from '@inventory/restock/store-processing';
import { storesDifferingFromManifest, waitForStorm } from '@inventory/restock/store-processing/testing';
import { skuOf, storeIdOf } from '@inventory/domain/model';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { startTestWriteApi, type TestWriteApi } from './write-api.testing';

const TOKEN = 'test-operator-token-0123456789-0123456789abcdef0';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('Restock Storm through write-api and a restock worker', () => {
  let prefix: string;
  let env: InventoryTestEnvironment;
  let api: TestWriteApi;
  let queue: RestockQueue;
  let records: StormRecords;
  let workerConnection: RedisConnection;
  let worker: Worker;

  const trigger = (body: unknown, headers: Record<string, string> = auth) =>
    fetch(`${api.url}/stress/restock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    env = await startInventoryTestEnvironment({ LOCAL_ADMIN_KEY: TOKEN });
    api = await startTestWriteApi(env);
    ({ queue, queuePrefix: prefix } = api);
    records = new StormRecords(env.backends.redis, prefix);

    workerConnection = createRedisConnection({ redisUrl: env.config.REDIS_URL, role: 'worker' });
    const processor = createRestockProcessor({
      repository: env.backends.repository,
      promises: env.backends.promiseRecords,
      writes: env.backends.writes,
      history: env.backends.history,
      counters: env.backends.counters,
      records,
      governor: new CpuGovernor(cpuAllowanceCores()),
      logger: env.logger,
      metrics: env.metrics,
      onDeadline: (stormId) => stopStormAtDeadline(queue, records, stormId),
    });
    worker = startRestockWorker({
      connection: workerConnection,
      prefix,
      concurrency: 4,
      lockMs: 30_000,
      process: processor,
      onGaveUp: (stormId) => records.countError(stormId),
      logger: env.logger,
    });
  });

  afterAll(async () => {
    await worker.close();
    await workerConnection.quit();
    await api.stop();
    await env.stop();
  });

  it('when a storm of 40 stores × 300 SKUs runs, then it completes with table and counters equal to the manifest; the same seed again writes nothing', async () => {
    const parameters = { stores: 40, skus_per_store: 300, manifest_seed: 4242, change_ratio: 0.2 };
    const response = await trigger({ ...parameters, duration_seconds: 300, target_cpu: 100 });
    expect(response.status).toBe(202);
    const started = await jsonOf(response);
    expect(started).toMatchObject({ state: 'running', status_url: `/stress/restock/${started.storm_id}`, dashboard_url: '/admin/queues' });
    expect(response.headers.get('location')).toBe(started.status_url);

    const busy = await trigger({ stores: 1 });
    expect(busy.status).toBe(409);
    expect((await jsonOf(busy)).error.message).toContain(started.storm_id);

    const first = await waitForStorm(records, started.storm_id, (r) => r.state !== 'running');
    expect(first).toMatchObject({
      state: 'completed',
      stores_done: 40,
      skus_checked: 12_000,
      skus_written: 12_000,
      skus_unchanged: 0,
      errors: 0,
    });
    expect(await storesDifferingFromManifest(env.backends, parameters)).toEqual([]);

    const status = await fetch(`${api.url}${started.status_url}`, { headers: auth });
    expect(await jsonOf(status)).toMatchObject({
      storm_id: started.storm_id,
      state: 'completed',
      stores_total: 40,
      elapsed_seconds: expect.any(Number),
    });

    const again = await jsonOf(await trigger({ ...parameters, duration_seconds: 300 }));
    const second = await waitForStorm(records, again.storm_id, (r) => r.state !== 'running');
    expect(second).toMatchObject({ state: 'completed', stores_done: 40, skus_written: 0, skus_unchanged: 12_000 });
    expect(await storesDifferingFromManifest(env.backends, parameters)).toEqual([]);
    // Every SKU was created by the first storm from nothing: one storm movement each, the second none.
    const created = new Map<string, number>();
    for (let store = 1; store <= 40; store += 1) for (let sku = 0; sku < 300; sku += 1) created.set(`${storeIdOf(store)}/${skuOf(sku)}`, 0);
    expect(await ledgerProblemsIn(env.backends, created)).toEqual([]);
  }, 120_000);

  it.each([
    ['duration_seconds out of range', { duration_seconds: 0 }, 400, 'duration_seconds must be from 1 to 3600'],
    ['target_cpu out of range', { target_cpu: 101 }, 400, 'target_cpu must be from 1 to 100'],
    ['a string target_cpu', { target_cpu: '80' }, 400, 'target_cpu must be a number'],
    ['a fractional duration', { duration_seconds: 1.5 }, 400, 'duration_seconds must be a whole number'],
    ['too many stores', { stores: 1_000_001 }, 400, 'stores must be from 1 to 100000'],
    ['a change_ratio above 1', { change_ratio: 2 }, 400, 'change_ratio must be from 0 to 1'],
    ['a body that is not an object', [1], 400, 'request body must be a JSON object'],
  ])('when the storm request has %s, then 400 names it and nothing starts', async (_name, body, status, message) => {
    const response = await trigger(body);
    expect(response.status).toBe(status);
    expect((await jsonOf(response)).error.message).toContain(message);
    expect(await queue.getWaitingCount()).toBe(0);
  });

  it.each([
    ['no credentials', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token-at-all' }],
    ['a wrong Basic password', { authorization: `Basic ${Buffer.from('ops:nope').toString('base64')}` }],
  ])('when the trigger comes with %s, then 401 and nothing starts', async (_name, headers) => {
    const response = await trigger({ stores: 1 }, headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="inventory"/);
    expect((await jsonOf(response)).error.code).toBe('UNAUTHORIZED');
    expect(await queue.getWaitingCount()).toBe(0);
  });

  it('when the dashboard is opened, then 401 without credentials and the bull-board page with them (Basic, as a browser sends)', async () => {
    expect((await fetch(`${api.url}/admin/queues`)).status).toBe(401);
    const page = await fetch(`${api.url}/admin/queues`, {
      headers: { authorization: `Basic ${Buffer.from(`ops:${TOKEN}`).toString('base64')}` },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toMatch(/<div id="root">|bull/i);
  });

  it('when the deadline comes before the stores are done, then the storm stops cleanly: waiting jobs removed, record says how far it got', async () => {
    const started = await jsonOf(
      // Ten seconds: the first 50-SKU store is done well within them on a busy box, the 3,000 far from it.
      await trigger({ stores: 3_000, skus_per_store: 50, duration_seconds: 10, target_cpu: 100, manifest_seed: 9 }),
    );
    const stopped = await waitForStorm(records, started.storm_id, (r) => r.state !== 'running', 30_000);
    expect(stopped.state).toBe('stopped');
    expect(stopped.stores_done).toBeGreaterThan(0);
    expect(stopped.stores_done).toBeLessThan(3_000);
    for (let i = 0; i < 100 && (await queue.getActiveCount()) > 0; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(await queue.getWaitingCount()).toBe(0);
    expect(await queue.getActiveCount()).toBe(0);
  });
});
