import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceParts } from '@inventory/service/bootstrap';
import {
  type InventoryTestEnvironment,
  productionWiring,
  type ServedForTest,
  startInventoryTestEnvironment,
  wiringOf,
} from '@inventory/service/testing';
import { composeQueryApi } from './compose-query-api';
import { startQueryApi } from './query-api.testing';

describe('query-api wiring: the specs run what production runs', () => {
  let env: InventoryTestEnvironment;
  let api: ServedForTest & { parts: ServiceParts };

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
    api = await startQueryApi(env);
  });

  afterAll(async () => {
    await api.stop();
    await env.stop();
  });

  it('when query-api is composed for the specs and as main.ts composes it, then routes, readiness checks, timeouts and connections are the same', async () => {
    const production = productionWiring(env, 'query-api', composeQueryApi);
    try {
      const test = wiringOf({ ...env, isDraining: () => false }, api.parts);
      expect(test).toEqual(production.wiring);
      expect(test.readiness.map((check) => check.name)).toEqual(['dynamodb', 'memorydb']);
      // The API port serves /health; /ready and /metrics are the management listener's only.
      expect(test.routes).toEqual(expect.arrayContaining(['GET /health', 'GET /inventory/store/:storeId']));
      expect(test.routes).not.toEqual(expect.arrayContaining(['GET /ready']));
    } finally {
      await production.close();
    }
  });

  it('when one side is wired with another DynamoDB deadline, then the comparison names the difference', async () => {
    const production = productionWiring(env, 'query-api', composeQueryApi, { DYNAMODB_TIMEOUT_MS: env.config.DYNAMODB_TIMEOUT_MS + 1 });
    try {
      expect(wiringOf({ ...env, isDraining: () => false }, api.parts)).not.toEqual(production.wiring);
    } finally {
      await production.close();
    }
  });

  it('when main.ts is read, then it runs the composition root and builds nothing of its own', () => {
    const main = readFileSync(join(__dirname, 'main.ts'), 'utf8');
    expect(main).toContain("runInventoryService('query-api', composeQueryApi);");
    expect(main.match(/\bnew |connectRedis|create[A-Z]/g) ?? []).toEqual([]);
  });
});
