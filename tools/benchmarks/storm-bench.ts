/**
 * What the Restock Storm benchmarks share: rounds, the table they print (each figure beside its
 * baseline from the same run, medians) and a Redis key prefix of their own, removed at the end.
 * Env: BENCH_ROUNDS (default 3).
 */
import { randomUUID } from 'node:crypto';
import { type Config, loadConfig } from '@inventory/shared/config';
import { connectRedis } from '@inventory/service/bootstrap';
import { deleteKeysWithPrefix, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { runBenchmark } from './processes';

export const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

export const row = (name: string, ours: string, baselineName: string, baseline: string, ratio: string, target: string) =>
  `| ${name} | ${ours} | ${baselineName} | ${baseline} | ${ratio} | ${target} |`;

export interface StormBench {
  /** A short id for this run's prefixes and tables. */
  id: string;
  /** The environment a worker started by the benchmark runs with. */
  env: Record<string, string>;
  config: Config;
  redis: RedisConnection;
}

/** Runs `measure` on a Redis prefix of its own and prints the rows it returns as one table. */
export function runStormBenchmark(measure: (bench: StormBench) => Promise<string[]>): void {
  runBenchmark(async () => {
    const id = randomUUID().slice(0, 8);
    const env = {
      REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `storm-bench-${id}`,
      MEMORYDB_ENDPOINT: '',
      LOG_LEVEL: 'warn',
    };
    const config = loadConfig(env);
    const redis = connectRedis(config, 'command', 'storm-bench');
    await waitUntilReady(redis);
    try {
      const lines = await measure({ id, env, config, redis });
      process.stdout.write(
        `\nmedians of ${ROUNDS} rounds\n\n| benchmark | ours | baseline | baseline value | ratio | target |\n|---|---:|---|---:|---:|---|\n${lines.join('\n')}\n`,
      );
    } finally {
      await deleteKeysWithPrefix(redis, config.REDIS_KEY_PREFIX);
      await redis.quit();
    }
  });
}
