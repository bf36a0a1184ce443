/**
 * Child process for the governor benchmark: runs the storm's per-SKU stage in slices of 250, paced
 * by the CpuGovernor at argv[2] % of argv[3] cores, until killed. Prints "ready" once started.
 */
import { cpuAllowanceCores, CpuGovernor, integrityHash, manifestRecord } from '@inventory/restock-storm';

const [target = '80', cores = '1'] = process.argv.slice(2);
const governor = new CpuGovernor(cpuAllowanceCores(Number(cores)));
governor.setTarget(Number(target));

async function run() {
  process.stdout.write('ready\n');
  for (let sku = 0; ; sku += 1) {
    integrityHash(manifestRecord(1, 1, sku % 5_000, 0.2));
    if (sku % 250 === 249) await governor.pace();
  }
}
void run();
