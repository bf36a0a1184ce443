import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type InventoryTestEnvironment, productionWiring, startInventoryTestEnvironment, wiringOf } from '@inventory/service/testing';
import { composeWriteApi } from './compose-write-api';
import { startTestWriteApi, type TestWriteApi } from './write-api.testing';

describe('write-api wiring: the specs run what production runs', () => {
  let env: InventoryTestEnvironment;
  let api: TestWriteApi;

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startTestWriteApi(env);
  });

  afterAll(async () => {
    await api.stop();
    await env.stop();
  });

  it('when write-api is composed for the specs and as main.ts composes it, then routes, readiness checks, timeouts and connections are the same', async () => {
    const production = productionWiring(env, 'write-api', composeWriteApi);
    try {
      const test = wiringOf({ ...env, isDraining: () => false }, api.parts);
      expect(test).toEqual(production.wiring);
      expect(test.readiness).toEqual([
        { name: 'dynamodb', critical: false },
        { name: 'memorydb', critical: false },
      ]);
      expect(test.connections).toEqual([
        'access',
        'expiry sweeper',
        'restock queue',
        'webhook queue',
        'queue connection',
        'limits connection',
      ]);
      expect(test.routes).toEqual(expect.arrayContaining(['GET /health', 'POST /stress/restock', 'GET /admin/webhooks']));
    } finally {
      await production.close();
    }
  });

  it('when one side is wired differently (a readiness check dropped), then the comparison names the difference', async () => {
    const production = productionWiring(env, 'write-api', (context) =>
      composeWriteApi({ ...context, backends: { ...context.backends, readinessChecks: [] } }),
    );
    try {
      const test = wiringOf({ ...env, isDraining: () => false }, api.parts);
      expect(test).not.toEqual(production.wiring);
      expect(production.wiring.readiness).toEqual([]);
    } finally {
      await production.close();
    }
  });

  it('when main.ts is read, then it runs the composition root and builds nothing of its own', () => {
    const main = readFileSync(join(__dirname, 'main.ts'), 'utf8');
    expect(main).toContain("runInventoryService('write-api', composeWriteApi);");
    expect(main.match(/\bnew |connectRedis|create[A-Z]/g) ?? []).toEqual([]);
  });
});
