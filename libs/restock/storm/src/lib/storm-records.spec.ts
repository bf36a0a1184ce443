import { randomUUID } from 'node:crypto';
import { createRedisConnection, deleteKeysWithPrefix, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { StormRecords } from './storm-records';
import { stormRequestSchema } from '@inventory/domain/model';

const parameters = (stores: number) => ({ ...stormRequestSchema.parse({ stores, duration_seconds: 60 }), manifest_seed: 1 });
const result = (written: number, complete = true) => ({
  skus_checked: 10,
  skus_written: written,
  shortfalls: 0,
  promises_at_risk: written - 1,
  skus_unchanged: 10 - written,
  complete,
});

describe('StormRecords', () => {
  const prefix = `{storm-test-${randomUUID().slice(0, 8)}}`;
  let redis: RedisConnection;
  let records: StormRecords;
  let endings: Array<[string, string]>;

  beforeAll(async () => {
    redis = createRedisConnection({ redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', role: 'command' });
    await waitUntilReady(redis);
    records = new StormRecords(redis, prefix, (stormId, state) => endings.push([stormId, state]));
  });

  beforeEach(() => (endings = []));
  afterEach(() => deleteKeysWithPrefix(redis, prefix));
  afterAll(() => redis.quit());

  it('when the request has no fields, then the original defaults apply', () => {
    expect(stormRequestSchema.parse({})).toEqual({
      duration_seconds: 180,
      target_cpu: 80,
      stores: 30_000,
      skus_per_store: 5_000,
      change_ratio: 0.2,
    });
  });

  it('when a storm runs, then a second cannot start and is told which one runs', async () => {
    const first = await records.start(parameters(2), new Date());
    const second = await records.start(parameters(2), new Date());
    expect('record' in first && second).toEqual({ runningStormId: 'record' in first ? first.record.storm_id : '' });
  });

  it('when a store reports twice (a retried job), then it is counted once; the last store completes the storm', async () => {
    const started = await records.start(parameters(2), new Date());
    if (!('record' in started)) throw new Error('not started');
    const id = started.record.storm_id;

    expect(await records.reportStore(id, 'store-1', result(3), new Date())).toBe(true);
    expect(await records.reportStore(id, 'store-1', result(3), new Date())).toBe(false);
    expect(await records.get(id)).toMatchObject({ state: 'running', stores_done: 1, skus_written: 3 });

    await records.reportStore(id, 'store-2', result(4), new Date());
    expect(await records.get(id)).toMatchObject({
      state: 'completed',
      stores_done: 2,
      skus_checked: 20,
      skus_written: 7,
      shortfalls: 0,
      promises_at_risk: 5,
      skus_unchanged: 13,
    });
    await records.reportStore(id, 'store-2', result(4), new Date());
    expect(endings).toEqual([[id, 'completed']]);
    expect('record' in (await records.start(parameters(1), new Date()))).toBe(true);
  });

  it('when a storm is stopped at its deadline, then it ends once, counting partial stores apart', async () => {
    const started = await records.start(parameters(3), new Date());
    if (!('record' in started)) throw new Error('not started');
    const id = started.record.storm_id;
    await records.reportStore(id, 'store-1', result(2, false), new Date());

    expect(await records.finish(id, 'stopped', new Date())).toBe(true);
    expect(await records.finish(id, 'stopped', new Date())).toBe(false);
    expect(endings).toEqual([[id, 'stopped']]);
    expect(await records.get(id)).toMatchObject({ state: 'stopped', stores_done: 0, stores_partial: 1, finished_at: expect.any(String) });
  });
});
