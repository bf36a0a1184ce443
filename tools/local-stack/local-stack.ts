import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig } from '@inventory/shared/config';
import { ensureInventoryTable } from '@inventory/stock/inventory-table';
import { createInventoryBackends, type InventoryBackends } from '@inventory/service/bootstrap';
import { seedInventory } from '@inventory/stock/maintenance';
import {
  freePort,
  type LocalOidcProvider,
  type LocalService,
  startLocalDynamoDb,
  startLocalOidcProvider,
  startLocalRedisCluster,
  startLocalRedisWithAcl,
} from '@inventory/shared/local-services';
import { ROLES } from '@inventory/domain/model';
import { ApiKeyRepository } from '@inventory/service/access';
import { deleteKeysWithPrefix, waitUntilReady } from '@inventory/shared/redis';
import { startGateway } from './gateway';

/** The processes of the platform: the three apps, and the events role of restock-worker's image. */
export const APPS = ['query-api', 'write-api', 'restock-worker', 'events-consumer'] as const;
export type AppName = (typeof APPS)[number];

/** What a process runs: its app's bundle, and for a role of another app's image, that role. */
const BUNDLES: Record<AppName, { bundle: string; env?: Record<string, string> }> = {
  'query-api': { bundle: 'query-api' },
  'write-api': { bundle: 'write-api' },
  'restock-worker': { bundle: 'restock-worker' },
  'events-consumer': { bundle: 'restock-worker', env: { WORKER_ROLE: 'events' } },
};

export interface LocalStackOptions {
  /** The ingress stand-in; 8080 so the original README's curl examples work unchanged. */
  gatewayPort: number;
  /** 0 picks free ports. */
  appPorts: Record<AppName, number>;
  dynamoPort: number;
  /** An existing Redis; when unset, a redis-server started here that requires an ACL user. */
  redisUrl?: string;
  /** Instead, a 3-master Redis Cluster started here, the apps in cluster mode as on MemoryDB (`REDIS_CLUSTER=true`). */
  redisCluster?: boolean;
  redisKeyPrefix: string;
  /** The restock queue's BullMQ prefix (a hash tag such as `{restock}`). */
  restockQueuePrefix: string;
  /** LOCAL_ADMIN_KEY: an admin key for every store, for scripts and tests (32+ visible characters). */
  adminKey: string;
  seed: { stores: number; skusPerStore: number };
  workspaceRoot: string;
  logLevel: string;
  log: (line: string) => void;
  /** More settings for the apps (tests on a busy box widen the DynamoDB deadline). */
  appEnv?: Record<string, string>;
}

export interface LocalStack {
  gatewayUrl: string;
  appUrls: Record<AppName, string>;
  /** Each app's management port: `/ready` and `/metrics`, never through the gateway. */
  managementUrls: Record<AppName, string>;
  /** Each app's process id (benchmarks pin them to cores). */
  pids: Record<AppName, number>;
  dynamoUrl: string;
  redisUrl: string;
  /** The stack's OpenID provider, with a machine client per role (`<role>-client`, every store), for bearer tokens. */
  oidc: LocalOidcProvider;
  /** A till's API key for store-1, made at start: what `npm start` prints for the README's curl examples. */
  tillKey: string;
  /** Stops everything started here; answers each app's exit code. */
  stop: () => Promise<Record<AppName, number | null>>;
}

/**
 * The stack's Redis: a Redis Cluster of its own when asked, the one given, or a redis-server of its
 * own that, as MemoryDB, lets in only an ACL user (a password made for this run), so every app's
 * authenticated connection is exercised.
 */
async function chooseRedis(
  options: LocalStackOptions,
): Promise<{ url: string; started?: Pick<LocalService, 'stop'>; credentials?: { username: string; password: string }; cluster?: boolean }> {
  if (options.redisCluster) {
    const cluster = await startLocalRedisCluster();
    const [seed] = cluster.nodes;
    options.log(`Redis Cluster started: 3 masters on ${cluster.nodes.map((node) => node.port).join(', ')}`);
    return { url: `redis://${seed?.host}:${seed?.port}`, started: cluster, cluster: true };
  }
  if (options.redisUrl) return { url: options.redisUrl };
  const started = await startLocalRedisWithAcl('inventory', randomBytes(24).toString('base64url'));
  options.log(`redis-server started on ${started.url}, ACL user ${started.credentials.username} only`);
  return { url: started.url, started, credentials: started.credentials };
}

function startApp(
  name: AppName,
  ports: { port: number; managementPort: number },
  env: NodeJS.ProcessEnv,
  options: LocalStackOptions,
): ChildProcess {
  const { bundle, env: roleEnv } = BUNDLES[name];
  const child = spawn(process.execPath, [join(options.workspaceRoot, 'dist', 'apps', bundle, 'main.js')], {
    env: { ...process.env, ...env, ...roleEnv, PORT: String(ports.port), MANAGEMENT_PORT: String(ports.managementPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: Ctrl-C in the terminal reaches only the stack, which then sends
    // each app the one SIGTERM a pod gets (the signal twice made an app exit at once with 1).
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => options.log(`[${name}] ${line}`));
  }
  return child;
}

/** Polls the app's management port (`managementUrl`) until `/ready` answers 200. */
async function waitUntilAppReady(name: string, url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before becoming ready`);
    const ready = await fetch(`${url}/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} was not ready at ${url}/ready within 30 s`);
}

async function stopApp(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

/** The whole platform on this machine, on embedded defaults, wired as it is in Kubernetes. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  // Its own server, as the platform's: the stack's table has the platform's fixed name.
  const dynamo = await startLocalDynamoDb(options.dynamoPort, '127.0.0.1', { ownProcess: true });
  const redis = await chooseRedis(options);
  // A machine client per role, as Cognito app clients with resource-server scopes are in AWS.
  const oidc = await startLocalOidcProvider(
    ROLES.map((role) => ({
      client_id: `${role}-client`,
      client_secret: `${role}-client-secret-local`,
      scope: `inventory/${role}`,
      inventory_stores: '*',
    })),
  );
  options.log(`OpenID provider on ${oidc.issuer} (clients: ${ROLES.map((role) => `${role}-client`).join(', ')})`);
  const env = {
    DYNAMODB_ENDPOINT: dynamo.url,
    REDIS_URL: redis.url,
    MEMORYDB_MODE: redis.cluster ? 'cluster' : 'standalone',
    ...(redis.credentials ? { REDIS_USERNAME: redis.credentials.username, REDIS_PASSWORD: redis.credentials.password } : {}),
    REDIS_KEY_PREFIX: options.redisKeyPrefix,
    RESTOCK_QUEUE_PREFIX: options.restockQueuePrefix,
    LOCAL_ADMIN_KEY: options.adminKey,
    OIDC_ISSUER: oidc.issuer,
    OIDC_JWKS_URL: oidc.jwksUrl,
    OIDC_AUDIENCE: oidc.audience,
    // Locally, webhooks may aim at receivers on this machine (write-api's registration and the consumer's deliveries).
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    MEMORYDB_ENDPOINT: '',
    LOG_LEVEL: options.logLevel,
    // The ingress stand-in appends the caller's address to X-Forwarded-For, as the ALB does.
    TRUSTED_PROXY_HOPS: '1',
    ...options.appEnv,
  };

  const config = loadConfig(env);
  const withBackends = async (use: (backends: InventoryBackends) => Promise<void>) => {
    const backends = createInventoryBackends(config, 'local-stack');
    try {
      await waitUntilReady(backends.redis);
      await use(backends);
    } finally {
      await backends.close();
    }
  };
  // The table lives only as long as this stack, so the counters, cache and queue start and end empty too.
  const clearRedis = async (backends: InventoryBackends) => {
    await deleteKeysWithPrefix(backends.redis, config.REDIS_KEY_PREFIX);
    await deleteKeysWithPrefix(backends.redis, config.RESTOCK_QUEUE_PREFIX);
  };
  let tillKey = '';
  await withBackends(async (backends) => {
    await clearRedis(backends);
    await ensureInventoryTable(backends.dynamodb, config.DYNAMODB_TABLE);
    const { items } = await seedInventory(backends, options.seed);
    options.log(`table ${config.DYNAMODB_TABLE} seeded with ${items} items (${options.seed.stores} stores)`);
    const { secret } = await new ApiKeyRepository(backends.dynamodb, config.DYNAMODB_TABLE).create({
      name: 'till-1',
      role: 'till',
      stores: ['store-1'],
    });
    tillKey = secret;
  });

  const ports = Object.fromEntries(
    await Promise.all(APPS.map(async (app) => [app, options.appPorts[app] || (await freePort())] as const)),
  ) as Record<AppName, number>;
  const appUrls = Object.fromEntries(APPS.map((app) => [app, `http://127.0.0.1:${ports[app]}`])) as Record<AppName, string>;
  // Management ports (/ready, /metrics) free ones: the gateway never routes to them, as the Ingress does not.
  const managementPorts = Object.fromEntries(await Promise.all(APPS.map(async (app) => [app, await freePort()] as const)));
  const managementUrls = Object.fromEntries(APPS.map((app) => [app, `http://127.0.0.1:${managementPorts[app]}`])) as Record<
    AppName,
    string
  >;
  const children = Object.fromEntries(
    APPS.map((app) => [app, startApp(app, { port: ports[app], managementPort: managementPorts[app] }, env, options)]),
  ) as Record<AppName, ChildProcess>;

  const stop = async () => {
    gateway?.server.close();
    const codes = Object.fromEntries(await Promise.all(APPS.map(async (app) => [app, await stopApp(children[app])] as const)));
    await withBackends(clearRedis).catch((error: unknown) => options.log(`could not clear Redis keys: ${String(error)}`));
    await dynamo.stop();
    await redis.started?.stop();
    await oidc.stop();
    return codes as Record<AppName, number | null>;
  };

  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  try {
    await Promise.all(APPS.map((app) => waitUntilAppReady(app, managementUrls[app], children[app])));
    gateway = await startGateway(options.gatewayPort, { 'query-api': appUrls['query-api'], 'write-api': appUrls['write-api'] });
  } catch (error) {
    await stop();
    throw error;
  }
  const pids = Object.fromEntries(APPS.map((app) => [app, children[app].pid ?? 0])) as Record<AppName, number>;
  return {
    gatewayUrl: `http://127.0.0.1:${gateway.port}`,
    appUrls,
    managementUrls,
    pids,
    dynamoUrl: dynamo.url,
    redisUrl: redis.url,
    oidc,
    tillKey,
    stop,
  };
}
