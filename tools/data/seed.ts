import { ensureInventoryTable } from '@inventory/stock/inventory-table';
import { seedInventory } from '@inventory/stock/maintenance';
import { progressBar, runDataTool, wholeNumberOption } from './data-tool';

/**
 * `npm run data:seed -- --stores 100 --skus-per-store 5000`: the demo assortment (stores `store-1`…,
 * SKUs `SKU-1001`…) into an empty table with concurrent batch writes, counters set to match.
 */
void runDataTool(
  'seed',
  { stores: { type: 'string' }, 'skus-per-store': { type: 'string' }, concurrency: { type: 'string' } },
  async (args, backends, config) => {
    const stores = wholeNumberOption('stores', args.stores, 100);
    const skusPerStore = wholeNumberOption('skus-per-store', args['skus-per-store'], 5_000);
    const concurrency = wholeNumberOption('concurrency', args.concurrency, 16);
    await ensureInventoryTable(backends.dynamodb, config.DYNAMODB_TABLE);

    const bar = progressBar('seeding', stores * skusPerStore);
    const started = performance.now();
    const { items } = await seedInventory(backends, {
      stores,
      skusPerStore,
      concurrency,
      onStoreDone: (storesDone) =>
        bar.update(storesDone * skusPerStore, { rate: Math.round((storesDone * skusPerStore) / ((performance.now() - started) / 1000)) }),
    });
    bar.stop();
    const seconds = (performance.now() - started) / 1000;
    const itemsPerSecond = Math.round(items / seconds);
    process.stderr.write(
      `seeded ${items} items (${stores} stores × ${skusPerStore} SKUs) into ${config.DYNAMODB_TABLE} in ${seconds.toFixed(1)} s: ${itemsPerSecond} items/s\n`,
    );
    return {
      report: {
        table: config.DYNAMODB_TABLE,
        stores,
        skus_per_store: skusPerStore,
        items,
        seconds: Number(seconds.toFixed(2)),
        items_per_second: itemsPerSecond,
      },
    };
  },
);
