/**
 * Child process for the governor benchmark: as many concurrent "jobs" as the worker runs by default
 * do the storm's CPU stage in slices of 250, as the worker does (on worker threads when the
 * allowance is 2 cores or more), paced by the CpuGovernor at argv[2] % of argv[3] cores, until
 * killed. Prints "ready" once started.
 */
import { join } from 'node:path';
import { loadConfig } from '@inventory/shared/config';
import { cpuAllowanceCores, CpuGovernor } from '@inventory/restock/cpu-governor';
import { createCpuStage } from '@inventory/restock/store-processing';

const [target = '80', cores = '1'] = process.argv.slice(2);
const governor = new CpuGovernor(cpuAllowanceCores(Number(cores)));
governor.setTarget(Number(target));
const stage = createCpuStage(governor.allowanceCores, join(__dirname, '../../dist/apps/restock-worker/cpu-stage.thread.js'));

async function job(storeIndex: number) {
  for (let first = 0; ; first = (first + 250) % 5_000) {
    await stage.check({ manifest_seed: 1, store_index: storeIndex, change_ratio: 0.2, first, count: 250 });
    await governor.pace();
  }
}
process.stdout.write(`ready ${stage.threads}\n`);
const jobs = loadConfig({}).RESTOCK_CONCURRENCY;
for (let store = 1; store <= jobs; store += 1) void job(store);
