import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeFor } from '@inventory/shared/http-server';
import { type LocalStack, startLocalStack } from '../local-stack/local-stack';
import { readLoadProfile, SCENARIOS } from './load-profile';
import { runLocalLoad } from './local-load';

const K6_SCENARIO = join(__dirname, 'k6', 'scenarios', 'inventory-stress.js');

describe('k6 scenario inventory-stress.js', () => {
  const source = readFileSync(K6_SCENARIO, 'utf8');

  it('when parsed as the ES module k6 runs, then it is valid JavaScript', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-'));
    try {
      copyFileSync(K6_SCENARIO, join(dir, 'inventory-stress.mjs'));
      expect(() => execFileSync(process.execPath, ['--check', join(dir, 'inventory-stress.mjs')], { stdio: 'pipe' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when its scenarios run, then each has an exported function and thresholds from the shared profile', () => {
    const profile = readLoadProfile();
    expect(Object.keys(profile.thresholds).sort()).toEqual([...SCENARIOS].sort());
    expect(Object.keys(profile.rates_per_second).sort()).toEqual([...SCENARIOS].sort());
    for (const exec of ['hotReads', 'coldReads', 'updates', 'restockStorm']) expect(source).toContain(`export function ${exec}()`);
    expect(source).toContain("open('../../load-profile.json')");
    expect(source).toMatch(/http_req_duration\{scenario:\$\{name\}\}.*p\(95\)</);
    expect(source).toMatch(/http_req_failed\{scenario:\$\{name\}\}.*rate</);
  });

  it.each([
    ['GET', 'http.get(`${BASE_URL}/inventory/store/', '/inventory/store/store-1', 'query-api'],
    ['POST', 'http.post(`${BASE_URL}/inventory/update`', '/inventory/update', 'write-api'],
    ['POST', 'http.post(`${BASE_URL}/stress/restock`', '/stress/restock', 'write-api'],
  ])('when it sends %s %s, then the ingress routes it to %s', (method, call, path, app) => {
    expect(source).toContain(call);
    expect(routeFor(method, path)).toBe(app);
  });
});

describe('local load runner', () => {
  let stack: LocalStack;
  const adminKey = `load-test-${randomUUID()}`;
  const seed = { stores: 8, skusPerStore: 200 };

  beforeAll(async () => {
    const id = randomUUID().slice(0, 8);
    stack = await startLocalStack({
      gatewayPort: 0,
      appPorts: { 'query-api': 0, 'write-api': 0, 'restock-worker': 0, 'events-consumer': 0 },
      dynamoPort: 0,
      redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      redisKeyPrefix: `load-${id}`,
      restockQueuePrefix: `{load-${id}}`,
      adminKey,
      seed,
      workspaceRoot: join(__dirname, '..', '..'),
      logLevel: 'warn',
      log: () => undefined,
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const localProfile = () => ({ ...readLoadProfile(), stores: seed.stores, hot_stores: 2, skus_per_store: seed.skusPerStore });

  it('when the mix runs with a storm part-way, then every scenario is served without errors and judged by its thresholds', async () => {
    const report = await runLocalLoad({
      baseUrl: stack.gatewayUrl,
      profile: localProfile(),
      seconds: 3,
      rateScale: 0.05,
      credential: adminKey,
      storm: { stores: seed.stores, skus_per_store: seed.skusPerStore },
    });
    expect(report.storm_status).toBe(202);
    expect(report.scenarios.map((result) => result.scenario)).toEqual(SCENARIOS);
    for (const result of report.scenarios) {
      expect(result.requests).toBeGreaterThan(0);
      expect({ scenario: result.scenario, errors: result.error_kinds }).toEqual({ scenario: result.scenario, errors: {} });
      expect(result.p95_ms).toBeGreaterThan(0);
      expect(result.passed).toBe(result.p95_ms < result.p95_limit_ms && result.error_rate < result.max_error_rate);
    }
  }, 60_000);

  it('when a threshold cannot be met, then the run fails', async () => {
    const profile = localProfile();
    profile.thresholds.hot_reads = { p95_ms: 0, max_error_rate: 0.001 };
    const report = await runLocalLoad({ baseUrl: stack.gatewayUrl, profile, seconds: 1, rateScale: 0.02, credential: adminKey });
    expect(report.scenarios.find((result) => result.scenario === 'hot_reads')?.passed).toBe(false);
    expect(report.passed).toBe(false);
  }, 30_000);
});
