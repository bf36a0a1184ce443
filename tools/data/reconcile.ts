import { reconcileCounters } from '@inventory/stock/maintenance';
import { progressBar, runDataTool, wholeNumberOption } from './data-tool';

/**
 * `npm run data:reconcile [-- --repair]`: the MemoryDB counters checked against the table; reports
 * drift (exit 2 when found and not repaired), and with --repair sets the counters to the table.
 */
void runDataTool(
  'reconcile',
  { repair: { type: 'boolean' }, concurrency: { type: 'string' }, 'scan-segments': { type: 'string' } },
  async (args, backends) => {
    let bar: ReturnType<typeof progressBar> | undefined;
    const report = await reconcileCounters(backends, {
      repair: args.repair ?? false,
      concurrency: wholeNumberOption('concurrency', args.concurrency, 8),
      scanSegments: wholeNumberOption('scan-segments', args['scan-segments'], 4),
      onStoreDone: (done, total) => {
        bar ??= progressBar('reconciling stores', total);
        bar.update(done);
      },
    });
    bar?.stop();
    const drifted = report.stores_drifted > 0 || report.totals.drifted;
    process.stderr.write(
      `checked ${report.stores_checked} stores, ${report.skus_checked} SKUs: ${report.stores_drifted} stores drifted, totals ${report.totals.drifted ? 'drifted' : 'match'}${report.repaired ? ' (repaired)' : ''}\n`,
    );
    return { report, exitCode: drifted && !report.repaired ? 2 : 0 };
  },
);
