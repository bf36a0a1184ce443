/**
 * Keyed stock writes against a real write-api process killed with SIGKILL at random points, then
 * retried with the same keys (apps/README.md#stock-movements): each key applies exactly once, whatever step the kill hit
 * (before the transaction, after it and before the answer, in the counters step).
 */
import { randomUUID } from 'node:crypto';
import { type AppEnvironment, startAppEnvironment } from '@inventory/service/built-apps';
import { allStoreMovements, ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { createInventoryClient } from '@inventory/client';
import { KilledWriteApi } from './killed-write-api';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const STORE = 'store-1';
const SKUS = 4;
const KEYED_WRITES = 160;
const KILLS = 4;

describe('keyed adjusts while write-api is killed with SIGKILL', () => {
  let env: AppEnvironment | undefined;
  let writeApi: KilledWriteApi | undefined;

  afterAll(async () => {
    await writeApi?.stop();
    await env?.stop();
  });

  it('when every write is retried with its key until answered, then each key applied exactly once', async () => {
    env = await startAppEnvironment({ stores: 1, skusPerStore: SKUS });
    const { backends } = env;
    writeApi = await KilledWriteApi.start(env);
    const skus = (await backends.repository.listStoreItems(STORE)).map((item) => item.sku);
    const start = new Map((await backends.repository.listStoreItems(STORE)).map((item) => [item.sku, item.quantity]));
    const writes = Array.from({ length: KEYED_WRITES }, (_, i) => ({
      key: randomUUID(),
      body: { store_id: STORE, sku: skus[i % skus.length] as string, delta: 1 + (i % 3), reason: 'receiving' as const },
    }));

    let failedAttempts = 0;
    /** Sends one keyed write until write-api answers 200 (applied or replayed), through kills and restarts. */
    const settle = async (write: (typeof writes)[number]) => {
      for (;;) {
        const api = createInventoryClient({ baseUrl: writeApi?.url ?? '', headers: { authorization: env?.authorization ?? '' } });
        const answer = await api
          .POST('/inventory/adjust', {
            params: { header: { 'Idempotency-Key': write.key } },
            body: write.body,
            signal: AbortSignal.timeout(10_000),
          })
          .catch(() => undefined);
        if (answer?.response.status === 200) return;
        // A reset (killed mid-request), the process not up yet, or the key still marked in flight.
        expect([undefined, 409, 503]).toContain(answer?.response.status);
        failedAttempts += 1;
        await sleep(100);
      }
    };

    const queue = [...writes];
    const senders = Array.from({ length: 8 }, async () => {
      for (let write = queue.shift(); write; write = queue.shift()) await settle(write);
    });
    const killer = writeApi.killRepeatedly(KILLS);
    await Promise.all([...senders, killer]);

    // Each key's movement is in the history exactly once, and each SKU moved by exactly its keys' deltas.
    const movements = await allStoreMovements(backends.history, STORE);
    const keyed = movements.filter((movement) => movement.idempotency_key !== null);
    expect(keyed.map((movement) => movement.idempotency_key).sort()).toEqual(writes.map((write) => write.key).sort());
    const final = new Map((await backends.repository.listStoreItems(STORE)).map((item) => [item.sku, item.quantity]));
    for (const sku of skus) {
      const added = writes.filter((write) => write.body.sku === sku).reduce((sum, write) => sum + write.body.delta, 0);
      expect(final.get(sku)).toBe((start.get(sku) ?? 0) + added);
    }
    // Every SKU's history chains from its seeded quantity to what it holds: no keyed write twice, none lost.
    expect(await ledgerProblemsIn(backends, env.seeded)).toEqual([]);
    // The kills did land mid-traffic: some attempts failed and were retried.
    expect(failedAttempts).toBeGreaterThan(0);
  });
});
