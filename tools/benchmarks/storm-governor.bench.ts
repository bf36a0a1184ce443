/**
 * CPU the storm's governor achieves vs target_cpu 50 and 80, on a 1-core allowance (main thread)
 * and a 2-core one (two worker threads), the whole process's CPU read from /proc over 5 s
 * (`npm run bench -- storm-governor`; BENCH_ROUNDS).
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { cpuSeconds, spawnNode } from './processes';
import { median } from './stats';
import { ROUNDS, row, runStormBenchmark } from './storm-bench';

const root = join(__dirname, '..', '..');

runStormBenchmark(async () => {
  const lines: string[] = [];
  for (const [target, cores] of [
    [50, 1],
    [80, 1],
    [50, 2],
    [80, 2],
  ]) {
    const achieved: number[] = [];
    let threads = '';
    for (let round = 0; round < ROUNDS; round += 1) {
      // tsx loaded in this one process (its CLI would run the script in a grandchild we cannot measure).
      const child = await spawnNode(['--import', 'tsx', join(__dirname, 'governed-stage.ts'), String(target), String(cores)], {
        TSX_TSCONFIG_PATH: join(root, 'tools/tsconfig.json'),
      });
      threads = child.firstLine.split(' ')[1] ?? '?';
      const pid = child.process.pid ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const before = cpuSeconds(pid);
      await new Promise((resolve) => setTimeout(resolve, 5000));
      achieved.push(((cpuSeconds(pid) - before) / 5 / cores) * 100);
      child.process.kill('SIGKILL');
      await once(child.process, 'exit');
    }
    const where = threads === '0' ? 'main thread' : `${threads} worker threads`;
    lines.push(
      row(
        `CPU held at target_cpu ${target} (${cores}-core allowance, ${where})`,
        `${median(achieved).toFixed(1)} %`,
        'target',
        `${target} %`,
        `${(median(achieved) - target).toFixed(1)} points`,
        '±10 points',
      ),
    );
  }
  return lines;
});
