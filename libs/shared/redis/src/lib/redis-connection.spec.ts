import { once } from 'node:events';
import { Cluster, Redis } from 'ioredis';
import { startLocalRedisWithAcl } from '@inventory/shared/local-services';
import { createRedisConnection, parseMemoryDbEndpoint, waitUntilReady } from './redis-connection';

describe('parseMemoryDbEndpoint', () => {
  it.each([
    [
      'rediss://clustercfg.inv.memorydb.us-east-1.amazonaws.com:6379',
      { host: 'clustercfg.inv.memorydb.us-east-1.amazonaws.com', port: 6379, tls: true },
    ],
    ['clustercfg.example.com:7000', { host: 'clustercfg.example.com', port: 7000, tls: true }],
    ['clustercfg.example.com', { host: 'clustercfg.example.com', port: 6379, tls: true }],
    ['redis://10.0.0.5:6380', { host: '10.0.0.5', port: 6380, tls: false }],
  ])('when the endpoint is %s, then host, port and TLS follow from it', (endpoint, expected) => {
    expect(parseMemoryDbEndpoint(endpoint)).toEqual(expected);
  });

  it('when the endpoint is not host:port or a redis URL, then it fails naming the variable', () => {
    expect(() => parseMemoryDbEndpoint('http://x/y')).toThrow(/MEMORYDB_ENDPOINT/);
  });
});

describe('createRedisConnection', () => {
  it('when a MemoryDB endpoint is set, then it is a TLS cluster client; else a plain local client', () => {
    const cluster = createRedisConnection({
      memorydbEndpoint: 'clustercfg.example.invalid:6379',
      redisUrl: 'redis://127.0.0.1:6379',
      role: 'command',
      lazy: true,
    });
    const local = createRedisConnection({ redisUrl: 'redis://127.0.0.1:6379', role: 'worker', lazy: true });
    try {
      expect(cluster).toBeInstanceOf(Cluster);
      expect((cluster as Cluster).options.redisOptions?.tls).toEqual({});
      expect((cluster as Cluster).options.enableOfflineQueue).toBe(false);
      expect(local).toBeInstanceOf(Redis);
      expect((local as Redis).options.maxRetriesPerRequest).toBeNull();
    } finally {
      cluster.disconnect();
      local.disconnect();
    }
  });
});

describe('a Redis that requires an ACL user (as MemoryDB does)', () => {
  const password = 'inventory-acl-secret-0123';
  let server: Awaited<ReturnType<typeof startLocalRedisWithAcl>>;

  beforeAll(async () => {
    server = await startLocalRedisWithAcl('inventory', password);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('when the connection carries the ACL user, then commands go through; without it, or with a wrong password, they are refused', async () => {
    const connect = (credentials?: { username: string; password: string }) =>
      createRedisConnection({ redisUrl: server.url, role: 'command', credentials });
    const good = connect({ username: 'inventory', password });
    const none = connect();
    const wrong = connect({ username: 'inventory', password: 'not-the-password-at-all' });
    try {
      await waitUntilReady(good);
      expect(await good.ping()).toBe('PONG');
      const [refused] = (await once(none, 'error')) as [Error];
      expect(refused.message).toMatch(/NOAUTH/);
      const [rejected] = (await once(wrong, 'error')) as [Error];
      expect(rejected.message).toMatch(/WRONGPASS/);
      expect([none.status, wrong.status]).not.toContain('ready');
    } finally {
      for (const connection of [good, none, wrong]) connection.disconnect();
    }
  });
});
