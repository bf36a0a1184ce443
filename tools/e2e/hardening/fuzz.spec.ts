import { Agent } from 'node:http';
import fc from 'fast-check';
import type { Router } from 'express';
import { createLogger, Metrics } from '@inventory/shared/observability';
import { createServiceApp, type RunningServer, startHttpServer } from '@inventory/shared/http-server';
import { reconcileCounters } from '@inventory/stock/maintenance';
import { listStoreIds } from '@inventory/stock/inventory-table';
import { type Answer, everyAnswerIsSound, FUZZ_PATH, FUZZ_SEED, type HostileRequest } from './hostile-requests';
import { type AppEnvironment, type RunningApps, spawnBuiltApps, startAppEnvironment, stopApps } from '@inventory/service/built-apps';

/** Per app: 12,000 generated requests in all. */
const RUNS_PER_APP = Number(process.env['FUZZ_RUNS'] ?? 6_000);

const ADMIN_KEY = 'fuzz-admin-key-0123456789abcdef0123456789';

describe('fuzz: hostile requests against the built apps (seeded, replayable)', () => {
  let env: AppEnvironment;
  let apps: RunningApps;
  // A connection per request: no request's fate depends on the one before, so a counterexample replays alone.
  const agent = new Agent({ keepAlive: false, maxSockets: 1 });
  const accepted = new Set<string>();

  beforeAll(async () => {
    env = await startAppEnvironment({ stores: 2, skusPerStore: 10 });
    apps = await spawnBuiltApps(env, ['query-api', 'write-api'], {
      LOCAL_ADMIN_KEY: ADMIN_KEY,
      RATE_LIMIT_WRITES_PER_MINUTE: '0',
    });
  }, 120_000);

  afterAll(async () => {
    agent.destroy();
    if (apps) await stopApps(apps);
    await env?.stop();
  });

  // Every update the write-api accepted, by store and SKU: nothing else may be in the table.
  const noteAccepted = (hostile: HostileRequest, answer: Answer) => {
    if (answer.status !== 200 || hostile.method !== 'POST') return;
    const item = JSON.parse(answer.body) as { store_id?: string; sku?: string };
    if (item.store_id && item.sku) accepted.add(`${item.store_id}/${item.sku}`);
  };

  it.each(['write-api', 'query-api'])(
    'when %s gets thousands of hostile requests, then none answers 5xx and every 4xx is a JSON error',
    async (name) => {
      const app = apps[name] as RunningApps[string];
      await fc.assert(everyAnswerIsSound(app.url, agent, ADMIN_KEY, noteAccepted), {
        seed: FUZZ_SEED,
        path: FUZZ_PATH,
        numRuns: RUNS_PER_APP,
        endOnFailure: true,
      });
    },
  );

  it('when the fuzzing is over, then the table holds only the seed and the accepted updates, and the counters equal it', async () => {
    const stores = await listStoreIds(env.backends.dynamodb, env.config.DYNAMODB_TABLE);
    const written: string[] = [];
    for (const store of stores) {
      for (const item of await env.backends.repository.listStoreItems(store)) {
        if (!env.seeded.has(`${store}/${item.sku}`)) written.push(`${store}/${item.sku}`);
      }
    }
    // Some generated updates were valid and written, so the check below has something to tell apart.
    expect(accepted.size).toBeGreaterThan(0);
    expect(written.filter((key) => !accepted.has(key))).toEqual([]);
    const report = await reconcileCounters(env.backends, { repair: false });
    expect(report.stores_drifted).toBe(0);
    expect(report.totals.drifted).toBe(false);
  });
});

describe('fuzz: the suite catches what it is for', () => {
  let server: RunningServer;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    const logger = createLogger({ app: 'fuzz-check', level: 'silent' });
    // The fault the suite first found, put back: a route that decodes its own path and lets a
    // malformed escape become an internal error.
    const app = createServiceApp({
      app: 'fuzz-check',
      logger,
      metrics: new Metrics({ app: 'fuzz-check', environment: 'test', enabled: false, logger }),
      readinessChecks: [],
      mountRoutes: (router: Router) =>
        router.use('/inventory', (req, res) => {
          let decoded: string;
          try {
            decoded = decodeURIComponent(req.path);
          } catch {
            throw new Error('could not decode the path');
          }
          res.json({ path: decoded });
        }),
    });
    server = await startHttpServer(app, 0, '127.0.0.1');
  });

  afterAll(async () => {
    agent.destroy();
    await server.stop(100, 10);
  });

  it('when a route that turns a malformed %-escape into a 500 is put back, then the same property fails on it', async () => {
    const result = await fc.check(everyAnswerIsSound(`http://127.0.0.1:${server.port}`, agent, ADMIN_KEY), {
      seed: FUZZ_SEED,
      numRuns: RUNS_PER_APP,
    });
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toMatch(/answered 500/);
    expect(result.counterexample?.[0].path).toMatch(/%/);
  });
});
