import { storeIdOf, type StormRequest } from '@inventory/domain/model';
import { type RestockJobData, restockJobId, type RestockQueue } from '@inventory/restock/queue';
import type { StormRecord, StormRecords } from './storm-records';

/** BullMQ adds a bulk in one round trip; 1,000 jobs a call keeps each script short. */
export const DISPATCH_CHUNK = 1_000;
/** Bulks in flight at once: Redis runs them one after another, but we stop waiting on each round trip. */
const DISPATCH_PARALLELISM = 4;

/**
 * Starts a storm: takes the one running-storm slot, then enqueues one job per store in bulks.
 * Job ids derive from (storm, store), so re-sending a bulk never duplicates a store.
 */
export async function dispatchStorm(
  queue: RestockQueue,
  records: StormRecords,
  request: StormRequest,
  { startedBy, now = new Date() }: { startedBy?: string; now?: Date } = {},
): Promise<{ record: StormRecord } | { runningStormId: string }> {
  const parameters: Required<StormRequest> = {
    ...request,
    manifest_seed: request.manifest_seed ?? Math.floor(Math.random() * 2 ** 31),
  };
  const started = await records.start(parameters, now);
  if (!('record' in started)) return started;

  const { record } = started;
  const deadlineMs = Date.parse(record.deadline);
  const bulkOf = (first: number) => {
    const jobs = [];
    for (let storeIndex = first; storeIndex <= Math.min(parameters.stores, first + DISPATCH_CHUNK - 1); storeIndex += 1) {
      const data: RestockJobData = {
        storm_id: record.storm_id,
        store_id: storeIdOf(storeIndex),
        store_index: storeIndex,
        skus_per_store: parameters.skus_per_store,
        manifest_seed: parameters.manifest_seed,
        change_ratio: parameters.change_ratio,
        target_cpu: parameters.target_cpu,
        deadline_ms: deadlineMs,
        counted_at: record.counted_at,
        ...(startedBy ? { started_by: startedBy } : {}),
      };
      jobs.push({ name: 'restock-store', data, opts: { jobId: restockJobId(record.storm_id, data.store_id) } });
    }
    return jobs;
  };
  let nextFirst = 1;
  const sender = async () => {
    while (nextFirst <= parameters.stores) {
      const first = nextFirst;
      nextFirst += DISPATCH_CHUNK;
      await queue.addBulk(bulkOf(first));
    }
  };
  try {
    await Promise.all(Array.from({ length: DISPATCH_PARALLELISM }, sender));
  } catch (error) {
    await records.finish(record.storm_id, 'failed', new Date());
    throw error;
  }
  return started;
}

/**
 * At the deadline: the first caller ends the storm as `stopped` and removes the jobs still waiting;
 * running ones stop at their next chunk boundary. Later callers find it ended and do nothing.
 */
export async function stopStormAtDeadline(queue: RestockQueue, records: StormRecords, stormId: string): Promise<void> {
  if (await records.finish(stormId, 'stopped', new Date())) await queue.drain();
}
