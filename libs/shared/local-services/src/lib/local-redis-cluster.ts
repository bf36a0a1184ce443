import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startLocalRedis } from './local-redis';

const run = promisify(execFile);

export interface LocalRedisCluster {
  /** Seed nodes, as a cluster client takes them. */
  nodes: { host: string; port: number }[];
  stop: () => Promise<void>;
}

/** A throw-away 3-master Redis Cluster (no replicas) on free ports, like MemoryDB in cluster mode. */
export async function startLocalRedisCluster(): Promise<LocalRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const servers = await Promise.all(
    ports.map((port) => startLocalRedis(port, ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`)])),
  );
  const addresses = ports.map((port) => `127.0.0.1:${port}`);
  await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
  for (const port of ports) {
    for (let attempt = 0; ; attempt += 1) {
      const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
      if (stdout.includes('cluster_state:ok')) break;
      if (attempt > 100) throw new Error(`cluster node ${port} not ok: ${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
    stop: async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
