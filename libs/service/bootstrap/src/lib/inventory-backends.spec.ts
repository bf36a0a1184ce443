import { once } from 'node:events';
import { loadConfig } from '@inventory/shared/config';
import { startLocalRedisWithAcl } from '@inventory/shared/local-services';
import { waitUntilReady } from '@inventory/shared/redis';
import { connectRedis } from './inventory-backends';

describe("every app's Redis connections (connectRedis) against a Redis that requires an ACL user", () => {
  const password = 'inventory-acl-secret-4567';
  let server: Awaited<ReturnType<typeof startLocalRedisWithAcl>>;

  beforeAll(async () => {
    server = await startLocalRedisWithAcl('inventory', password);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('when REDIS_USERNAME and REDIS_PASSWORD are configured, then both roles authenticate as that user; unconfigured, the server refuses', async () => {
    const config = loadConfig({ REDIS_URL: server.url, REDIS_USERNAME: 'inventory', REDIS_PASSWORD: password });
    const command = connectRedis(config, 'command', 'acl-test');
    const worker = connectRedis(config, 'worker', 'acl-test-worker');
    const anonymous = connectRedis(loadConfig({ REDIS_URL: server.url }), 'command', 'acl-test-anonymous');
    try {
      await Promise.all([waitUntilReady(command), waitUntilReady(worker)]);
      expect(await command.acl('WHOAMI')).toBe('inventory');
      expect(await worker.acl('WHOAMI')).toBe('inventory');
      const [refused] = (await once(anonymous, 'error')) as [Error];
      expect(refused.message).toMatch(/NOAUTH/);
    } finally {
      for (const connection of [command, worker, anonymous]) connection.disconnect();
    }
  });
});
