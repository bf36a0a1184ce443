import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '@inventory/shared/config';
import {
  type InventoryTestEnvironment,
  productionWiring,
  startInventoryTestEnvironment,
  stopComposed,
  testServiceContext,
  wiringOf,
} from '@inventory/service/testing';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import { composeRestockWorker } from './compose-restock-worker';

/*
 * The worker's end-to-end specs run the built main.js itself (tools/e2e/restock-worker/storm-test-bed.ts); this one
 * holds the composition root, in both roles, to the same wiring whichever context it is given.
 * One CPU core: in a spec the CPU stage's thread file is not built beside it.
 */
describe('restock-worker wiring: both roles composed for a spec and as main.ts composes them', () => {
  let env: InventoryTestEnvironment;
  const prefix = `{worker-wiring-${process.pid}}`;
  const config = (role: Config['WORKER_ROLE']): Partial<Config> => ({
    WORKER_ROLE: role,
    RESTOCK_QUEUE_PREFIX: prefix,
    RESTOCK_CPU_CORES: 1,
  });

  beforeAll(async () => {
    env = await startInventoryTestEnvironment();
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(env.backends.redis, prefix);
    await env.stop();
  });

  it.each([
    ['restock', ['restock worker', 'cpu stage', 'cpu reports', 'restock queue', 'worker connection']],
    ['events', ['events consumer', 'webhook deliveries', 'webhook queue', 'queue connection', 'worker connection', 'streams client']],
  ] as const)(
    'when the %s role is composed both ways, then its readiness checks, timeouts and connections are the same',
    async (role, connections) => {
      const context = testServiceContext(env, config(role), { ownMetrics: true });
      const parts = composeRestockWorker(context);
      const production = productionWiring(env, 'restock-worker', composeRestockWorker, config(role));
      try {
        const test = wiringOf(context, parts);
        expect(test).toEqual(production.wiring);
        expect(test.connections).toEqual(connections);
        expect(test.readiness.map((check) => check.name)).toEqual(['dynamodb', 'memorydb', 'queue']);
      } finally {
        await stopComposed(parts);
        await context.metrics.close(1_000);
        await production.close();
      }
    },
  );

  it('when the production side alone runs with another drain deadline, then the comparison names the difference', async () => {
    const context = testServiceContext(env, config('restock'), { ownMetrics: true });
    const parts = composeRestockWorker(context);
    const production = productionWiring(env, 'restock-worker', composeRestockWorker, { ...config('restock'), SHUTDOWN_GRACE_MS: 1_234 });
    try {
      expect(wiringOf(context, parts)).not.toEqual(production.wiring);
    } finally {
      await stopComposed(parts);
      await context.metrics.close(1_000);
      await production.close();
    }
  });

  it('when main.ts is read, then it runs the composition root and builds nothing of its own', () => {
    const main = readFileSync(join(__dirname, 'main.ts'), 'utf8');
    expect(main).toContain('runInventoryService(workerName, composeRestockWorker);');
    expect(main.match(/\bnew |connectRedis|create[A-Z]/g) ?? []).toEqual([]);
  });
});
