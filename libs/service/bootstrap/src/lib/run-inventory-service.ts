import { type Config, loadConfig } from '@inventory/shared/config';
import {
  exitOnProcessFailure,
  onShutdownSignal,
  type RunningServer,
  runMain,
  type ServiceApp,
  type ShutdownStep,
  startHttpServer,
} from '@inventory/shared/http-server';
import { createLogger, type Logger, type Metrics } from '@inventory/shared/observability';
import { assertNoEviction, EvictionPolicyError, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { createInventoryBackends, type InventoryBackends } from './inventory-backends';
import { createServiceMetrics } from './service-metrics';

export interface ServiceContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  backends: InventoryBackends;
  /** True once SIGTERM arrived: readiness fails so the load balancer stops sending work. */
  isDraining: () => boolean;
}

/** What an app's composition root (`compose…`) builds from a context: main.ts and the app's test helper both call it. */
export type ComposeService = (context: ServiceContext) => ServiceParts | Promise<ServiceParts>;

export interface ServiceParts {
  app: ServiceApp;
  /**
   * Resolves once the app's own connections are up, so its first requests do not meet a connection
   * still opening (a rate limit would fail open on it). Awaited before serving; a failure (Redis down
   * at start) is logged and the app serves anyway, as it does when Redis goes away later.
   */
  ready?: () => Promise<unknown>;
  /** Stops the app's own work (e.g. a queue worker) before the HTTP server drains. */
  stopWork?: ShutdownStep[];
  /** The app's own clients, closed after the HTTP server drained and before the shared ones. */
  closeClients?: ShutdownStep[];
}

/** The context a process composes its app from: its logger, metrics and backends, as configured. */
export function createServiceContext(config: Config, name: string, isDraining: () => boolean): ServiceContext {
  const logger = createLogger({ app: name, level: config.LOG_LEVEL });
  return {
    config,
    logger,
    metrics: createServiceMetrics(config, name, logger),
    backends: createInventoryBackends(config, name),
    isDraining,
  };
}

export interface ServedApp {
  /** The API port (PORT), behind the Ingress. */
  api: RunningServer;
  /** The management port (MANAGEMENT_PORT): probes and scrapes, never routed from outside. */
  management: RunningServer;
}

/**
 * Serves what a composition root built, once its own connections are up; served anyway if one stays
 * down (logged), as it is when Redis goes away later. Production's and the tests' one way to serve.
 */
export async function serveComposed(
  parts: ServiceParts,
  logger: Logger,
  ports: { port: number; managementPort: number },
  host?: string,
): Promise<ServedApp> {
  await parts.ready?.().catch((error: unknown) => logger.warn({ err: error }, 'serving before every connection is up'));
  const management = await startHttpServer(parts.app.management, ports.managementPort, host);
  return { api: await startHttpServer(parts.app, ports.port, host), management };
}

/**
 * Refuses a Redis that would evict keys (k8s/README.md#memorydb): it would lose them silently. One
 * that cannot be asked (down at start, or INFO not allowed) is logged and served, as a Redis that
 * goes away later is.
 */
async function checkEvictionPolicy(redis: RedisConnection, logger: Logger): Promise<void> {
  try {
    await waitUntilReady(redis, 3_000);
    await assertNoEviction(redis);
  } catch (error) {
    if (error instanceof EvictionPolicyError) throw error;
    logger.warn({ err: error }, 'could not read Redis maxmemory-policy at start');
  }
}

/**
 * Every app's `main`: read config (failing fast, naming the bad variable), refuse a Redis that evicts keys, build the clients,
 * let the app build itself, serve it on PORT, and on SIGTERM drain, stop work, close the server,
 * close the clients, send the last metrics, exit 0. An unhandled rejection or uncaught exception
 * is logged (with its request id) and ends the process through the same drain, exit 1.
 */
export function runInventoryService(appName: string | ((config: Config) => string), compose: ComposeService): void {
  runMain(typeof appName === 'string' ? appName : 'inventory-service', async () => {
    const config = loadConfig();
    // A role run from another app's image names itself by its configuration (restock-worker's events role).
    const name = typeof appName === 'string' ? appName : appName(config);
    let draining = false;
    const context = createServiceContext(config, name, () => draining);
    const { logger, metrics, backends } = context;
    await checkEvictionPolicy(backends.redis, logger);
    const parts = await compose(context);
    const { stopWork = [], closeClients = [] } = parts;
    const { api, management } = await serveComposed(parts, logger, { port: config.PORT, managementPort: config.MANAGEMENT_PORT });
    logger.info({ port: api.port, management_port: management.port }, `${name} listening`);
    const drain = onShutdownSignal(
      logger,
      [
        ...stopWork,
        { name: 'http', run: () => api.stop(config.SHUTDOWN_GRACE_MS) },
        // After the API drained: readiness answers "draining" until then.
        { name: 'management', run: () => management.stop(1_000) },
        ...closeClients,
        { name: 'clients', run: () => backends.close() },
        // Last, so the figures of the drain itself reach CloudWatch.
        { name: 'metrics', run: () => metrics.close() },
      ],
      () => (draining = true),
    );
    exitOnProcessFailure(logger, drain);
  });
}
