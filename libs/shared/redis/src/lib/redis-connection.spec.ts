import { Cluster, Redis } from 'ioredis';
import { createRedisConnection, parseMemoryDbEndpoint } from './redis-connection';

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
