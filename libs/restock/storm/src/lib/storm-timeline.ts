import type { RedisConnection } from '@inventory/shared/redis';
import type { StormRecord } from './storm-records';

/** One moment of a storm, for the operators' storm page: its progress, and the workers' CPU. */
export interface StormMoment {
  /** Seconds since the storm started, in steps of the sampling interval. */
  t: number;
  stores_done: number;
  skus_checked: number;
  skus_written: number;
  errors: number;
  /** Mean CPU of the workers that reported in this step, as % of their allowance. */
  cpu_percent: number;
  workers: number;
}

const TTL_SECONDS = 7 * 24 * 3600;

/**
 * A storm's progress over time, in three hashes keyed by the step (seconds since the start, rounded
 * to the sampling interval): the record's counters as the first worker of the step saw them, and the
 * sum and count of every worker's CPU in that step. Each worker writes once a step, so the size is
 * steps × three fields, whatever the fleet.
 */
export class StormTimeline {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  private key(stormId: string, part: 'progress' | 'cpu' | 'workers') {
    return `${this.prefix}:storm:${stormId}:timeline:${part}`;
  }

  /** Adds this worker's CPU (and, if first in its step, the storm's progress) to the step `at` falls in. */
  async sample(record: StormRecord, cpuPercent: number, at: Date, stepSeconds: number): Promise<void> {
    const t = Math.floor((at.getTime() - Date.parse(record.started_at)) / 1000 / stepSeconds) * stepSeconds;
    const progress = {
      stores_done: record.stores_done,
      skus_checked: record.skus_checked,
      skus_written: record.skus_written,
      errors: record.errors,
    };
    const [progressKey, cpuKey, workersKey] = [
      this.key(record.storm_id, 'progress'),
      this.key(record.storm_id, 'cpu'),
      this.key(record.storm_id, 'workers'),
    ];
    await this.redis
      .multi()
      .hsetnx(progressKey, String(t), JSON.stringify(progress))
      .hincrbyfloat(cpuKey, String(t), cpuPercent)
      .hincrby(workersKey, String(t), 1)
      .expire(progressKey, TTL_SECONDS)
      .expire(cpuKey, TTL_SECONDS)
      .expire(workersKey, TTL_SECONDS)
      .exec();
  }

  /** The storm's moments in time order. */
  async moments(stormId: string): Promise<StormMoment[]> {
    const [progress, cpu, workers] = await Promise.all([
      this.redis.hgetall(this.key(stormId, 'progress')),
      this.redis.hgetall(this.key(stormId, 'cpu')),
      this.redis.hgetall(this.key(stormId, 'workers')),
    ]);
    return Object.keys(progress)
      .map(Number)
      .sort((a, b) => a - b)
      .map((t) => {
        const reported = Number(workers[t] ?? 0);
        return {
          t,
          ...(JSON.parse(progress[t] ?? '{}') as Pick<StormMoment, 'stores_done' | 'skus_checked' | 'skus_written' | 'errors'>),
          cpu_percent: reported > 0 ? Number(cpu[t] ?? 0) / reported : 0,
          workers: reported,
        };
      });
  }
}
