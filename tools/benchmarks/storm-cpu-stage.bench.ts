/**
 * The storm's per-SKU CPU stage (SKUs/s on one core) vs a tight loop of the same hash, JSON and
 * arithmetic work with nothing around it (`npm run bench -- storm-cpu-stage`; BENCH_ROUNDS).
 */
import { createHash } from 'node:crypto';
import { integrityHash, manifestRecord } from '@inventory/restock/store-processing';
import { median } from './stats';
import { ROUNDS, row, runStormBenchmark } from './storm-bench';

/** The same work as the stage, written inline with nothing around it. */
function tightLoop(count: number): void {
  for (let i = 0; i < count; i += 1) {
    const json = JSON.stringify({ store_id: 'store-1', sku: `SKU-${1001 + (i % 5000)}`, quantity: i % 500 });
    createHash('sha256').update(json).digest('hex');
    const parsed = JSON.parse(json) as { quantity: number };
    let a = 0;
    let b = 1;
    for (let k = 1; k < 20 + (parsed.quantity % 40); k += 1) [a, b] = [b, (a + b) | 0];
    if (((Math.imul(a, (a + b) | 0) - Math.imul(b, b)) | 0) === 2) throw new Error('unreachable');
  }
}

runStormBenchmark(async () => {
  const lines: string[] = [];
  const count = 200_000;
  const stage: number[] = [];
  const tight: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    let started = performance.now();
    tightLoop(count);
    tight.push(count / ((performance.now() - started) / 1000));
    started = performance.now();
    for (let i = 0; i < count; i += 1) integrityHash(manifestRecord(1, 1, i % 5000, 0.2));
    stage.push(count / ((performance.now() - started) / 1000));
  }
  lines.push(
    row(
      'per-SKU CPU stage, SKUs/s on one core',
      median(stage).toFixed(0),
      'tight loop of the same work',
      median(tight).toFixed(0),
      `${(median(stage) / median(tight)).toFixed(2)}×`,
      '≥ 0.6×',
    ),
  );

  return lines;
});
