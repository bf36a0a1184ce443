import { type RunningServer, startHttpServer } from '@inventory/shared/http-server';
import { InventoryUpdater } from '@inventory/stock/store-update';
import { type InventoryTestEnvironment, writeApiLimits } from '@inventory/service/testing';
import { createRestockQueue, type RestockQueue, StormRecords } from '@inventory/restock/queue';
import { createApp } from './app';

export interface TestWriteApi {
  server: RunningServer;
  url: string;
  queue: RestockQueue;
  updater: InventoryUpdater;
  stop: () => Promise<void>;
}

/** write-api on a free port over the test environment, its queue under the environment's prefix. */
export async function startTestWriteApi(env: InventoryTestEnvironment, operatorToken?: string): Promise<TestWriteApi> {
  const updater = new InventoryUpdater({
    repository: env.backends.repository,
    counters: env.backends.counters,
    logger: env.logger,
    metrics: env.metrics,
  });
  const prefix = `{restock-${env.config.REDIS_KEY_PREFIX}}`;
  const queue = createRestockQueue(env.backends.redis, prefix);
  const app = createApp({
    logger: env.logger,
    metrics: env.metrics,
    updater,
    queue,
    stormRecords: new StormRecords(env.backends.redis, prefix),
    operatorToken,
    readinessChecks: [],
    ...writeApiLimits(env),
  });
  const server = await startHttpServer(app, 0, '127.0.0.1');
  return {
    server,
    url: `http://127.0.0.1:${server.port}`,
    queue,
    updater,
    stop: async () => {
      await server.stop(1_000, 10);
      await queue.close();
    },
  };
}
