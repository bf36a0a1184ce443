import { Cluster, Redis, type RedisOptions } from 'ioredis';

export type RedisConnection = Redis | Cluster;

export interface RedisConnectionOptions {
  /** MemoryDB cluster endpoint: `rediss://host:port`, `redis://host:port`, or bare `host:port` (TLS). */
  memorydbEndpoint?: string;
  /** Defaults to `cluster` when a MemoryDB endpoint is given, else `standalone`. */
  mode?: 'cluster' | 'standalone';
  /** Used when no MemoryDB endpoint is given. */
  redisUrl: string;
  /**
   * `command`: request paths; fail fast while Redis is unreachable so callers can fall back.
   * `worker`: long-running consumers (BullMQ); queue commands and retry forever.
   */
  role: 'command' | 'worker';
  connectionName?: string;
  /** An ACL user (MemoryDB requires one; a local Redis may): sent with AUTH on every connection. */
  credentials?: { username: string; password: string };
  /** Connect on first command instead of at once. */
  lazy?: boolean;
}

interface Endpoint {
  host: string;
  port: number;
  tls: boolean;
}

/** MemoryDB encrypts in transit by default, so a bare `host:port` means TLS; `redis://` opts out. */
export function parseMemoryDbEndpoint(endpoint: string): Endpoint {
  const match = /^(?:(rediss?):\/\/)?([^:/]+)(?::(\d+))?$/.exec(endpoint);
  if (!match) throw new Error(`MEMORYDB_ENDPOINT ${JSON.stringify(endpoint)} is not host:port or a redis(s):// URL`);
  const [, scheme, host, port] = match;
  return { host: host ?? '', port: port ? Number(port) : 6379, tls: scheme !== 'redis' };
}

function roleOptions(role: RedisConnectionOptions['role']): RedisOptions {
  return role === 'command'
    ? {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2_000,
        commandTimeout: 2_000,
        // Commands of concurrent requests issued in one tick go out in one write: fewer syscalls
        // on both sides, measured by tools/benchmarks/read-write.bench.ts.
        enableAutoPipelining: true,
      }
    : { enableOfflineQueue: true, maxRetriesPerRequest: null, connectTimeout: 5_000 };
}

export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const common: RedisOptions = {
    ...roleOptions(options.role),
    connectionName: options.connectionName,
    lazyConnect: options.lazy,
    ...(options.credentials ?? {}),
  };
  if (!options.memorydbEndpoint) {
    return options.mode === 'cluster'
      ? clusterConnection(new URL(options.redisUrl), common, options.redisUrl.startsWith('rediss:'))
      : new Redis(options.redisUrl, common);
  }
  const endpoint = parseMemoryDbEndpoint(options.memorydbEndpoint);
  if ((options.mode ?? 'cluster') === 'standalone') {
    return new Redis({ ...common, host: endpoint.host, port: endpoint.port, tls: endpoint.tls ? {} : undefined });
  }
  return clusterConnection(new URL(`redis://${endpoint.host}:${endpoint.port}`), common, endpoint.tls);
}

function clusterConnection(seed: URL, common: RedisOptions, tls: boolean): Cluster {
  return new Cluster([{ host: seed.hostname, port: Number(seed.port || 6379) }], {
    enableOfflineQueue: common.enableOfflineQueue,
    lazyConnect: common.lazyConnect,
    // TLS certificates name the configuration endpoint, not the node IPs the cluster reports.
    dnsLookup: (address, callback) => callback(null, address),
    redisOptions: { ...common, tls: tls ? {} : undefined },
  });
}

/** Resolves once the connection is ready (or rejects after `timeoutMs`); for start-up and tests. */
export async function waitUntilReady(connection: RedisConnection, timeoutMs = 10_000): Promise<void> {
  if (connection.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.off('ready', onReady);
      reject(new Error(`Redis not ready within ${timeoutMs} ms (status ${connection.status})`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    connection.once('ready', onReady);
  });
}

/**
 * Closes a connection: QUIT lets replies in flight arrive; with Redis unreachable (or not yet
 * connected) it would wait on reconnects instead, so then the socket is simply dropped.
 */
export async function closeConnection(connection: RedisConnection): Promise<void> {
  if (connection.status === 'ready') await connection.quit();
  else connection.disconnect();
}
