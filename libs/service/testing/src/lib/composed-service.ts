import type { Config } from '@inventory/shared/config';
import {
  createServiceContext,
  createServiceMetrics,
  serveComposed,
  type ServedApp,
  type ServiceContext,
  type ServiceParts,
} from '@inventory/service/bootstrap';
import type { InventoryTestEnvironment } from './inventory-test-environment';

/**
 * The context an app's composition root gets in a test: the environment's backends, logger and
 * metrics, its configuration with only what a test must change (a key prefix, a token).
 * `ownMetrics` gives it a registry of its own, for a second pod or a restarted one in one process.
 */
export function testServiceContext(
  env: InventoryTestEnvironment,
  config: Partial<Config> = {},
  options: { ownMetrics?: boolean } = {},
): ServiceContext {
  const merged: Config = { ...env.config, ...config };
  return {
    config: merged,
    logger: env.logger,
    metrics: options.ownMetrics ? createServiceMetrics(merged, 'test', env.logger) : env.metrics,
    backends: env.backends,
    isDraining: () => false,
  };
}

export interface ServedForTest {
  server: ServedApp['api'];
  url: string;
  /** `fetch` of a path of the app, as the environment's admin unless `init` sends its own Authorization. */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  /** Where `/ready` and `/metrics` answer (the management port). */
  managementUrl: string;
  /** The routes it serves, for the contract test. */
  routes: ServiceParts['app']['routes'];
  /** Drains the server, stops the app's work and closes its own clients (the environment's stay open). */
  stop: () => Promise<void>;
}

/** `headers` with the admin key as Bearer credential, unless they carry an Authorization of their own. */
export function asAdmin(adminKey: string | undefined, headers: ConstructorParameters<typeof Headers>[0] = {}): Headers {
  const merged = new Headers(headers);
  if (!merged.has('authorization') && adminKey) merged.set('authorization', `Bearer ${adminKey}`);
  return merged;
}

/** Stops what a composition root started and closes its own clients, in the order a drain does. */
export async function stopComposed(parts: ServiceParts): Promise<void> {
  for (const step of [...(parts.stopWork ?? []), ...(parts.closeClients ?? [])]) await step.run();
}

/** Serves what a composition root built on a free loopback port, and stops it as `runInventoryService` would. */
export async function serveForTest(
  context: ServiceContext,
  parts: ServiceParts,
  options: { ownMetrics?: boolean } = {},
): Promise<ServedForTest> {
  const { api, management } = await serveComposed(parts, context.logger, { port: 0, managementPort: 0 }, '127.0.0.1');
  const url = `http://127.0.0.1:${api.port}`;
  return {
    server: api,
    url,
    fetch: (path, init = {}) => fetch(`${url}${path}`, { ...init, headers: asAdmin(context.config.LOCAL_ADMIN_KEY, init.headers) }),
    managementUrl: `http://127.0.0.1:${management.port}`,
    routes: parts.app.routes,
    stop: async () => {
      await api.stop(1_000, 10);
      await management.stop(100, 10);
      await stopComposed(parts);
      if (options.ownMetrics) await context.metrics.close(1_000);
    },
  };
}

/** What a composition root wired, comparable between a test's context and production's. */
export interface Wiring {
  routes: string[];
  readiness: Array<{ name: string; critical: boolean }>;
  timeouts: { dynamodbMs: number; shutdownGraceMs: number };
  /** The app's own work and clients, by name, in the order a drain stops them. */
  connections: string[];
}

export function wiringOf(context: ServiceContext, parts: ServiceParts): Wiring {
  return {
    routes: parts.app.routes.map((route) => `${route.method.toUpperCase()} ${route.path}`).sort(),
    readiness: parts.app.readiness,
    timeouts: { dynamodbMs: context.backends.dynamodbTimeoutMs, shutdownGraceMs: context.config.SHUTDOWN_GRACE_MS },
    connections: [...(parts.stopWork ?? []), ...(parts.closeClients ?? [])].map((step) => step.name),
  };
}

/**
 * An app composed as `runInventoryService` composes it in production (createServiceContext, its own
 * clients) from the test environment's configuration, for the wiring spec; `close` stops what it opened.
 */
export function productionWiring(
  env: InventoryTestEnvironment,
  name: string,
  compose: (context: ServiceContext) => ServiceParts,
  config: Partial<Config> = {},
): { wiring: Wiring; close: () => Promise<void> } {
  const context = createServiceContext({ ...env.config, LOG_LEVEL: 'silent', ...config }, name, () => false);
  const parts = compose(context);
  return {
    wiring: wiringOf(context, parts),
    close: async () => {
      await stopComposed(parts);
      await context.backends.close();
      await context.metrics.close(1_000);
    },
  };
}
