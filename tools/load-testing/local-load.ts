import autocannon from 'autocannon';
import { percentile } from '../benchmarks/stats';
import { type LoadProfile, type ScenarioName, SCENARIOS } from './load-profile';
import { createInventoryClient } from '@inventory/client';

export interface LocalLoadOptions {
  baseUrl: string;
  profile: LoadProfile;
  /** Overrides the profile's duration. */
  seconds: number;
  /** Multiplies every arrival rate (a laptop is not a cluster). */
  rateScale: number;
  /** The credential every request sends (`Authorization: Bearer …`): an admin key, as LOCAL_ADMIN_KEY or from POST /admin/api-keys. */
  credential: string;
  /** Triggers the storm at the profile's time when set; `stores`/`skus_per_store` size it. */
  storm?: { stores?: number; skus_per_store?: number };
}

export interface ScenarioResult {
  scenario: ScenarioName;
  rate_per_second: number;
  requests: number;
  errors: number;
  /** What the errors were: HTTP status (or `timeout`, `connection`) → count. */
  error_kinds: Record<string, number>;
  error_rate: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  p95_limit_ms: number;
  max_error_rate: number;
  passed: boolean;
}

export interface LocalLoadReport {
  scenarios: ScenarioResult[];
  /** The storm trigger's HTTP status (202 started, 409 already running), when one was sent. */
  storm_status?: number;
  /** The storm's status URL, when one was started. */
  storm_status_url?: string;
  passed: boolean;
}

const randomInt = (from: number, to: number) => from + Math.floor(Math.random() * (to - from + 1));
const storeId = (index: number) => `store-${index}`;

/** One scenario's requests, as the k6 scenario builds them; `context` is per connection (a till). */
function scenarioRequest(scenario: ScenarioName, profile: LoadProfile, credential: string): autocannon.Request {
  const authorization = `Bearer ${credential}`;
  const hotStore = () => storeId(randomInt(1, profile.hot_stores));
  switch (scenario) {
    case 'hot_reads':
      return {
        setupRequest: (request, context) => {
          const store = hotStore();
          const etag = (context as Record<string, string | undefined>)[store];
          (context as Record<string, string>)['store'] = store;
          return {
            ...request,
            method: 'GET',
            path: `/inventory/store/${store}`,
            headers: { authorization, 'accept-encoding': 'gzip', ...(etag ? { 'if-none-match': etag } : {}) },
          };
        },
        onResponse: (_status, _body, context, headers) => {
          const etag = (headers as Record<string, string> | undefined)?.['etag'];
          const till = context as Record<string, string>;
          if (etag && till['store']) till[till['store']] = etag;
        },
      };
    case 'cold_reads':
      return {
        setupRequest: (request) => ({
          ...request,
          method: 'GET',
          path: `/inventory/store/${storeId(randomInt(profile.hot_stores + 1, profile.stores))}`,
          headers: { authorization, 'accept-encoding': 'gzip' },
        }),
      };
    case 'updates':
      return {
        setupRequest: (request) => ({
          ...request,
          method: 'POST',
          path: '/inventory/update',
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({
            store_id: hotStore(),
            sku: `SKU-${1000 + randomInt(1, profile.skus_per_store)}`,
            quantity: randomInt(0, 500),
          }),
        }),
      };
  }
}

async function runScenario(scenario: ScenarioName, options: LocalLoadOptions): Promise<ScenarioResult> {
  const rate = Math.max(1, Math.round(options.profile.rates_per_second[scenario] * options.rateScale));
  const latencies: number[] = [];
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  const countError = (kind: string, count = 1) => {
    if (count > 0) errorKinds[kind] = (errorKinds[kind] ?? 0) + count;
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        overallRate: rate,
        // Enough connections that the arrival rate, not the connection count, sets the pace.
        connections: Math.min(100, Math.max(2, Math.ceil(rate / 20))),
        duration: options.seconds,
        requests: [scenarioRequest(scenario, options.profile, options.credential)],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      // 304 answers a still-valid ETag: a success.
      if (statusCode !== 200 && statusCode !== 304) {
        errors += 1;
        countError(String(statusCode));
      }
    });
  });
  errors += result.errors + result.timeouts;
  countError('timeout', result.timeouts);
  countError('connection', result.errors - result.timeouts);
  const requests = latencies.length + result.errors + result.timeouts;
  latencies.sort((a, b) => a - b);
  const limit = options.profile.thresholds[scenario];
  const errorRate = requests === 0 ? 1 : errors / requests;
  const p95 = percentile(latencies, 0.95);
  return {
    scenario,
    rate_per_second: rate,
    requests,
    errors,
    error_kinds: errorKinds,
    error_rate: Number(errorRate.toFixed(5)),
    p50_ms: percentile(latencies, 0.5),
    p95_ms: p95,
    p99_ms: percentile(latencies, 0.99),
    p95_limit_ms: limit.p95_ms,
    max_error_rate: limit.max_error_rate,
    passed: requests > 0 && p95 < limit.p95_ms && errorRate < limit.max_error_rate,
  };
}

async function triggerStorm(options: LocalLoadOptions): Promise<{ status: number; statusUrl?: string }> {
  const { storm, profile } = options;
  const api = createInventoryClient({ baseUrl: options.baseUrl, credential: options.credential });
  const { data, response } = await api.POST('/stress/restock', {
    body: {
      duration_seconds: profile.storm.duration_seconds,
      target_cpu: profile.storm.target_cpu,
      ...(storm?.stores ? { stores: storm.stores } : {}),
      ...(storm?.skus_per_store ? { skus_per_store: storm.skus_per_store } : {}),
    },
  });
  return { status: response.status, statusUrl: data?.status_url };
}

/**
 * The k6 scenario's mix (load-profile.json) with autocannon, for machines without k6: the three
 * scenarios at their arrival rates side by side, the storm triggered part-way, and each scenario
 * judged by the same p95 and error-rate thresholds.
 */
export async function runLocalLoad(options: LocalLoadOptions): Promise<LocalLoadReport> {
  const stormAtMs = Math.min(options.profile.storm.at_seconds, options.seconds / 2) * 1000;
  const storm = options.storm
    ? new Promise<Awaited<ReturnType<typeof triggerStorm>>>((resolve, reject) =>
        setTimeout(() => triggerStorm(options).then(resolve, reject), stormAtMs),
      )
    : undefined;
  const scenarios = await Promise.all(SCENARIOS.map((scenario) => runScenario(scenario, options)));
  const triggered = await storm;
  const stormStatus = triggered?.status;
  const stormPassed = stormStatus === undefined || stormStatus === 202 || stormStatus === 409;
  return {
    scenarios,
    storm_status: stormStatus,
    ...(triggered?.statusUrl ? { storm_status_url: triggered.statusUrl } : {}),
    passed: stormPassed && scenarios.every((result) => result.passed),
  };
}
