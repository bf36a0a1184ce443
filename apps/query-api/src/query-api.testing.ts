import { type RunningServer, startHttpServer } from '@inventory/shared/http-server';
import { StoreInventoryReader } from '@inventory/stock/store-read';
import type { InventoryTestEnvironment } from '@inventory/service/testing';
import { createApp } from './app';

/** query-api on a free port over the test environment. */
export async function startQueryApi(env: InventoryTestEnvironment): Promise<{ server: RunningServer; url: string }> {
  const reader = new StoreInventoryReader({
    repository: env.backends.repository,
    cache: env.backends.cache,
    logger: env.logger,
    metrics: env.metrics,
    localCacheBytes: 8 * 1024 * 1024,
    localCacheTtlMs: 60_000,
  });
  const app = createApp({
    logger: env.logger,
    metrics: env.metrics,
    reader,
    history: env.backends.history,
    readinessChecks: env.backends.readinessChecks,
  });
  const server = await startHttpServer(app, 0, '127.0.0.1');
  return { server, url: `http://127.0.0.1:${server.port}` };
}
