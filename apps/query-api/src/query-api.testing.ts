import { type RunningServer, type ServedRoute, startHttpServer } from '@inventory/shared/http-server';
import type { InventoryTestEnvironment } from '@inventory/service/testing';
import { createApp } from './app';
import { createQueryReaders } from './query-readers';

/** query-api on a free port over the test environment, and the routes it serves (for the contract test). */
export async function startQueryApi(env: InventoryTestEnvironment): Promise<{ server: RunningServer; url: string; routes: ServedRoute[] }> {
  const readers = createQueryReaders(env.backends, {
    logger: env.logger,
    metrics: env.metrics,
    localCacheBytes: 8 * 1024 * 1024,
    localCacheTtlMs: 60_000,
  });
  const app = createApp({
    logger: env.logger,
    metrics: env.metrics,
    ...readers,
    history: env.backends.history,
    readinessChecks: env.backends.readinessChecks,
  });
  const server = await startHttpServer(app, 0, '127.0.0.1');
  return { server, url: `http://127.0.0.1:${server.port}`, routes: app.routes };
}
