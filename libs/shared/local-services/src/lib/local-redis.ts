import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import type { LocalService } from './serve-locally';
import { stopProcess } from './stop-process';

export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitUntilListening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    if (await isListening('127.0.0.1', port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not listen on ${port} within 10 s`);
}

/**
 * A private, throw-away `redis-server` (from PATH) on a free port, persisting nothing. Tests that
 * stop Redis on purpose use one, so they never disturb the shared server.
 */
export async function startLocalRedis(port?: number, extraArgs: string[] = []): Promise<LocalService & { process: ChildProcess }> {
  const actualPort = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    ['--port', String(actualPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning', ...extraArgs],
    { stdio: 'ignore' },
  );
  await waitUntilListening(actualPort, child);
  return {
    url: `redis://127.0.0.1:${actualPort}`,
    port: actualPort,
    process: child,
    stop: () => stopProcess(child),
  };
}

/** A local redis-server that, as MemoryDB, lets in only an ACL user: the default user is off. */
export async function startLocalRedisWithAcl(
  username: string,
  password: string,
): Promise<LocalService & { process: ChildProcess; credentials: { username: string; password: string } }> {
  const server = await startLocalRedis(undefined, [
    '--user',
    'default',
    'off',
    '--user',
    username,
    'on',
    `>${password}`,
    '~*',
    '&*',
    '+@all',
  ]);
  return { ...server, credentials: { username, password } };
}
