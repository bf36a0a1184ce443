/**
 * Keyed batches (apps/README.md#stock-movements) against a real write-api process killed with SIGKILL at random points,
 * each sent again with its key until it is answered with every row applied: each row applies
 * exactly once, whichever step the kill hit — a `reject_all` transaction before or after it
 * landed, a `reject_failed_rows` batch part-way through its rows, or before its answer was recorded.
 */
import { randomUUID } from 'node:crypto';
import { type AppEnvironment, type RunningApps, spawnBuiltApps, startAppEnvironment, stopApps } from '@inventory/service/built-apps';
import { waitUntil } from '@inventory/service/testing';
import { allStoreMovements, ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { createInventoryClient } from '@inventory/client';
import { KilledWriteApi } from './killed-write-api';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const STORE = 'store-1';
const SKUS = 120;
const KILLS = 3;

interface Batch {
  key: string;
  body: { store_id: string; error_policy: 'reject_all' | 'reject_failed_rows'; rows: Array<{ sku: string; delta: number }> };
}

describe('keyed batches while write-api is killed with SIGKILL', () => {
  let env: AppEnvironment | undefined;
  let writeApi: KilledWriteApi | undefined;
  /** The events consumer: it records a reject_all row's movement from the table's stream. */
  let consumer: RunningApps | undefined;

  afterAll(async () => {
    if (consumer) await stopApps(consumer);
    await writeApi?.stop();
    await env?.stop();
  });

  it('when every batch is sent again with its key until all its rows are applied, then each row applied exactly once', async () => {
    // A short in-flight hold: a row whose process died holding its key answers IN_USE only briefly.
    // Its own DynamoDB Local: the consumer reads this table's stream from the start.
    env = await startAppEnvironment({
      stores: 1,
      skusPerStore: SKUS,
      ownDynamoDb: true,
      env: { IDEMPOTENCY_IN_FLIGHT_MS: '1000', LOG_LEVEL: 'warn' },
    });
    const { backends } = env;
    writeApi = await KilledWriteApi.start(env);
    consumer = await spawnBuiltApps(env, ['restock-worker'], { WORKER_ROLE: 'events' });
    const skus = (await backends.repository.listStoreItems(STORE)).map((item) => item.sku);
    const start = new Map((await backends.repository.listStoreItems(STORE)).map((item) => [item.sku, item.quantity]));
    const batches: Batch[] = [
      // Every SKU +1, six times over, row by row.
      ...Array.from({ length: 6 }, () => ({
        key: randomUUID(),
        body: { store_id: STORE, error_policy: 'reject_failed_rows' as const, rows: skus.map((sku) => ({ sku, delta: 1 })) },
      })),
      // Twenty SKUs at a time +2, all or none.
      ...Array.from({ length: 12 }, (_, i) => ({
        key: randomUUID(),
        body: {
          store_id: STORE,
          error_policy: 'reject_all' as const,
          rows: skus.slice((i * 20) % SKUS, ((i * 20) % SKUS) + 20).map((sku) => ({ sku, delta: 2 })),
        },
      })),
    ];

    let failedAttempts = 0;
    /** Sends one keyed batch until write-api answers 200 with every row applied, through kills and restarts. */
    const settle = async (batch: Batch) => {
      for (;;) {
        const api = createInventoryClient({ baseUrl: writeApi?.url ?? '', headers: { authorization: env?.authorization ?? '' } });
        const answer = await api
          .POST('/inventory/batch', {
            params: { header: { 'Idempotency-Key': batch.key } },
            body: batch.body,
            signal: AbortSignal.timeout(20_000),
          })
          .catch(() => undefined);
        if (answer?.data) {
          const { results } = answer.data;
          if (results.every((row) => row.status === 'applied')) return;
          // Rows that failed on our side (a key still marked in flight by the killed process) are tried again.
          expect(results.filter((row) => row.status === 'rejected').map((row) => row.error?.code)).toEqual(
            expect.arrayContaining(['IDEMPOTENCY_KEY_IN_USE']),
          );
        } else {
          // A reset (killed mid-request), the process not up yet, or the batch's key still marked in flight.
          expect([undefined, 409, 503]).toContain(answer?.response.status);
        }
        failedAttempts += 1;
        await sleep(200);
      }
    };

    const queue = [...batches];
    const senders = Array.from({ length: 4 }, async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) await settle(batch);
    });
    const killer = writeApi.killRepeatedly(KILLS, 100);
    await Promise.all([...senders, killer]);

    const final = new Map((await backends.repository.listStoreItems(STORE)).map((item) => [item.sku, item.quantity]));
    for (const sku of skus) {
      const added = batches
        .flatMap((batch) => batch.body.rows)
        .filter((row) => row.sku === sku)
        .reduce((sum, row) => sum + row.delta, 0);
      expect({ sku, quantity: final.get(sku) }).toEqual({ sku, quantity: (start.get(sku) ?? 0) + added });
    }
    // Every SKU's history chains from its seeded quantity to what it holds, once the consumer has
    // recorded the reject_all rows' movements (they ride on the items until then).
    await waitUntil(
      'the ledger adds up',
      async () => (await ledgerProblemsIn(backends, env?.seeded ?? new Map())).length === 0,
      60_000,
      1_000,
    ).catch(() => undefined);
    expect(await ledgerProblemsIn(backends, env.seeded)).toEqual([]);
    // Each row has its movement once: a row-by-row batch's under its batch's key and row, an all-or-none batch's under its key.
    const movements = await allStoreMovements(backends.history, STORE);
    const rowKeys = batches.flatMap((batch) =>
      batch.body.rows.map((_row, index) => (batch.body.error_policy === 'reject_failed_rows' ? `${batch.key} ${index}` : batch.key)),
    );
    expect(
      movements
        .map((movement) => movement.idempotency_key)
        .filter((key) => key !== null)
        .sort(),
    ).toEqual(rowKeys.sort());
    // The kills did land mid-traffic: some attempts failed and were sent again.
    expect(failedAttempts).toBeGreaterThan(0);
  }, 300_000);
});
