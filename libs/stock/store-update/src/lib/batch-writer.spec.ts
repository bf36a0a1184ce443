import { AppError, batchWriteCommandSchema, parseInput, type StockMovement } from '@inventory/domain/model';
import { type InventoryTestEnvironment, startInventoryTestEnvironment } from '@inventory/service/testing';
import { allStoreMovements, ledgerProblems, ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { retriedWhileContended, testStockWriters } from '../testing';
import type { StockWriters } from './stock-writers';

describe('the batch writer (BatchWriter): all or none, row by row, once per key', () => {
  let env: InventoryTestEnvironment;
  let writers: StockWriters;

  const batch = (body: unknown) => parseInput(batchWriteCommandSchema, body);
  const stored = async (store: string) =>
    new Map((await env.backends.repository.listStoreItems(store)).map((item) => [item.sku, item.quantity]));
  const movementsOf = (storeId: string) => allStoreMovements(env.backends.history, storeId);
  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    writers = testStockWriters(env);
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('when one row of a reject_all batch cannot apply, then BATCH_REJECTED names it and no row reached the table, the counters or the history', async () => {
    await writers.updater.update({ store_id: 'bw-none', sku: 'A', quantity: 2 });
    const before = { items: await stored('bw-none'), movements: (await movementsOf('bw-none')).length };

    const refused = await writers.batches
      .write(
        batch({
          store_id: 'bw-none',
          error_policy: 'reject_all',
          rows: [
            { sku: 'NEW', quantity: 5 },
            { sku: 'A', delta: -3 },
          ],
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'BATCH_REJECTED' });
    const results = (refused as AppError).extra['results'] as Array<{ sku: string; error: { code: string } }>;
    expect(results.map((row) => [row.sku, row.error.code])).toEqual([
      ['NEW', 'NOT_APPLIED'],
      ['A', 'INSUFFICIENT_STOCK'],
    ]);
    expect(await stored('bw-none')).toEqual(before.items);
    expect(await env.backends.counters.storeQuantities('bw-none')).toEqual(before.items);
    expect((await movementsOf('bw-none')).length).toBe(before.movements);
    expect(await ledgerProblemsIn(env.backends, new Map([['bw-none/A', 0]]))).toEqual([]);
  });

  it("when a reject_all batch applies, then its changes are among the store's changes at once (before any movement is recorded), at the positions their movements take", async () => {
    await writers.updater.update({ store_id: 'bw-notice', sku: 'A', quantity: 7 });
    const since = new Date().toISOString();
    const rows = [
      { sku: 'A', delta: -2 },
      { sku: 'B', quantity: 4 },
    ];
    const { answer } = await writers.batches.write(batch({ store_id: 'bw-notice', error_policy: 'reject_all', rows }));
    const movements = answer.results.map((row) => row.item?.movement as StockMovement);

    const changes = await env.backends.history.changesSince('bw-notice', since);
    expect(
      changes.map(({ sku, version, kind, delta, quantity_after, source }) => ({ sku, version, kind, delta, quantity_after, source })),
    ).toEqual([
      { sku: 'A', version: 2, kind: 'adjust', delta: -2, quantity_after: 5, source: 'api' },
      { sku: 'B', version: 1, kind: 'set', delta: 4, quantity_after: 4, source: 'api' },
    ]);
    // The listing is the history: the rows show there once the events consumer records their movements.
    expect((await movementsOf('bw-notice')).map((movement) => movement.sku)).toEqual(['A']);

    for (const [i, movement] of movements.entries()) await env.backends.history.recordMovement(movement, i === 0 ? 'adjust' : 'set');
    const again = await env.backends.history.changesSince('bw-notice', since);
    expect(new Set(again.map((change) => change.sortKey))).toEqual(new Set(changes.map((change) => change.sortKey)));
    expect(again).toHaveLength(4);
    expect((await movementsOf('bw-notice')).map((movement) => movement.sku)).toEqual(['A', 'A', 'B']);
  });

  it('when a reject_failed_rows batch has rows that cannot apply, then only the others are stored, each with one movement', async () => {
    await writers.updater.update({ store_id: 'bw-rows', sku: 'A', quantity: 1 });

    const { answer } = await writers.batches.write(
      batch({
        store_id: 'bw-rows',
        error_policy: 'reject_failed_rows',
        rows: [
          { sku: 'A', delta: -5 },
          { sku: 'B', quantity: 4 },
          { sku: 'D', delta: 1 },
        ],
      }),
    );

    expect(answer.results.map((row) => [row.sku, row.status])).toEqual([
      ['A', 'rejected'],
      ['B', 'applied'],
      ['D', 'applied'],
    ]);
    expect(await stored('bw-rows')).toEqual(
      new Map([
        ['A', 1],
        ['B', 4],
        ['D', 1],
      ]),
    );
    expect((await movementsOf('bw-rows')).map((movement) => movement.sku).sort()).toEqual(['A', 'B', 'D']);
    expect(
      await ledgerProblemsIn(
        env.backends,
        new Map([
          ['bw-rows/A', 0],
          ['bw-rows/B', 0],
          ['bw-rows/D', 0],
        ]),
      ),
    ).toEqual([]);
  });

  it('when reject_all batches and single sales race on the same SKUs, then each batch applies whole, no sale is lost, and the movements answered chain per SKU', async () => {
    const seed = await writers.batches.write(
      batch({
        store_id: 'bw-race',
        error_policy: 'reject_all',
        rows: [
          { sku: 'A', quantity: 40 },
          { sku: 'B', quantity: 40 },
        ],
      }),
    );
    const otherPod = testStockWriters(env);

    const [batches, sales] = await Promise.all([
      Promise.all(
        Array.from({ length: 4 }, () =>
          retriedWhileContended(() =>
            otherPod.batches.write(
              batch({
                store_id: 'bw-race',
                error_policy: 'reject_all',
                rows: [
                  { sku: 'A', delta: -5 },
                  { sku: 'B', delta: -5 },
                ],
              }),
            ),
          ),
        ),
      ),
      Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          writers.updater.adjust({ store_id: 'bw-race', sku: i % 2 ? 'A' : 'B', delta: -1, reason: 'sale' }),
        ),
      ),
    ]);

    expect(await stored('bw-race')).toEqual(
      new Map([
        ['A', 15],
        ['B', 15],
      ]),
    );
    expect(await env.backends.counters.storeQuantities('bw-race')).toEqual(await stored('bw-race'));
    // A reject_all batch's movements ride on its items until the events consumer records them
    // (libs/events/README.md): its answer carries them; a single write's are in the history at once.
    const batchMovements = [seed, ...batches].flatMap(({ answer }) => answer.results.map((row) => row.item?.movement as StockMovement));
    expect(batchMovements).toHaveLength(2 + 4 * 2);
    expect((await movementsOf('bw-race')).map((movement) => movement.movement_id).sort()).toEqual(
      sales.map(({ answer }) => answer.movement.movement_id).sort(),
    );
    // The ledger the consumer will have recorded: the answered movements, chained to what the table holds.
    const items = await env.backends.repository.listStoreItems('bw-race');
    const movements = [...batchMovements, ...sales.map(({ answer }) => answer.movement)];
    expect(
      ledgerProblems(
        { items, movements },
        new Map([
          ['bw-race/A', 0],
          ['bw-race/B', 0],
        ]),
      ),
    ).toEqual([]);
  });

  it('when a keyed batch reaches a new writer (a restarted pod), then its first answer is replayed and nothing applies twice; another batch under the key is refused', async () => {
    const body = {
      store_id: 'bw-key',
      error_policy: 'reject_failed_rows',
      rows: [
        { sku: 'A', delta: 5 },
        { sku: 'B', delta: 2 },
      ],
    };
    const first = await writers.batches.write(batch(body), { idempotencyKey: 'bw-key-1' });
    const restarted = testStockWriters(env);

    const again = await restarted.batches.write(batch(body), { idempotencyKey: 'bw-key-1' });
    const other = await restarted.batches.write(batch({ ...body, rows: [{ sku: 'A', delta: 6 }] }), { idempotencyKey: 'bw-key-1' }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(again).toEqual({ answer: first.answer, replayed: true });
    expect(other).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await stored('bw-key')).toEqual(
      new Map([
        ['A', 5],
        ['B', 2],
      ]),
    );
    expect(await movementsOf('bw-key')).toHaveLength(2);
    expect(
      await ledgerProblemsIn(
        env.backends,
        new Map([
          ['bw-key/A', 0],
          ['bw-key/B', 0],
        ]),
      ),
    ).toEqual([]);
  });
});
