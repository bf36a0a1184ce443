import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuStage, threadedCpuStage } from './cpu-stage';
import type { ManifestSlice } from './manifest-slice';
import { manifestRecord } from './manifest';
import { integrityHash } from './sku-integrity';

// The real thread entry is built with the app (its tests run it); these cases never start a task on it.
const UNBUILT_THREAD_SCRIPT = join(__dirname, 'no-such-thread.js');

describe('createCpuStage', () => {
  it.each([
    [0.5, 0],
    [1, 0],
    [1.9, 0],
    [2, 2],
    [3.5, 3],
  ])('when the allowance is %d cores, then the stage runs on %d worker threads (0: the main thread)', async (cores, threads) => {
    const stage = createCpuStage(cores, UNBUILT_THREAD_SCRIPT);
    expect(stage.threads).toBe(threads);
    await stage.close();
  });

  it('when a slice is checked on the main thread, then each of its SKUs comes with its manifest record and integrity hash', async () => {
    const stage = createCpuStage(1, UNBUILT_THREAD_SCRIPT);
    const checked = await stage.check({ manifest_seed: 9, store_index: 4, change_ratio: 0.5, first: 100, count: 3 });
    const expected = [100, 101, 102].map((index) => manifestRecord(9, 4, index, 0.5));
    expect(checked).toEqual(expected.map((record) => ({ record, contentHash: integrityHash(record) })));
  });

  it('when more jobs than threads hand in slices at once, then every slice is checked (none refused for a full queue)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cpu-stage-'));
    // A stand-in thread entry (the real one is built with the app): answers the slice's first index.
    const script = join(dir, 'thread.js');
    await writeFile(script, 'module.exports = (slice) => [{ record: { sku: String(slice.first) }, contentHash: "" }];');
    const stage = threadedCpuStage(2, script);
    try {
      const slices: ManifestSlice[] = Array.from({ length: 16 }, (_, i) => ({
        manifest_seed: 1,
        store_index: i,
        change_ratio: 0,
        first: i * 250,
        count: 250,
      }));
      const answers = await Promise.all(slices.map((slice) => stage.check(slice)));
      expect(answers.map(([checked]) => checked?.record.sku)).toEqual(slices.map((slice) => String(slice.first)));
    } finally {
      await stage.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
