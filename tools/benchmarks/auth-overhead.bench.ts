/**
 * Benchmark: what authenticating every request costs. The same built apps twice on the same
 * servers, one pair with `AUTHENTICATION=off` (the baseline) and one checking credentials, measured
 * in alternating rounds:
 *   - cached GET of a 5,000-SKU store (gzip) with an OAuth2 bearer token (from a real OpenID
 *     provider) and with an API key, each vs the same read unauthenticated;
 *   - POST /inventory/adjust with an Idempotency-Key, with a token and with a key, vs the same
 *     adjust unauthenticated.
 * Verification is cached (a key's hash and a verified token are looked up in memory), so neither a
 * network nor a DynamoDB call is made per request: the target is ≥ 0.95×.
 * Env: BENCH_SECONDS (default 5), BENCH_ROUNDS (default 3), BENCH_APP_LOG_LEVEL (default info).
 */
import { randomUUID } from 'node:crypto';
import { skuOf } from '@inventory/domain/model';
import { freePort, startLocalOidcProvider } from '@inventory/shared/local-services';
import { type AppChild, builtAppBundle, spawnApp, startAppEnvironment } from '@inventory/service/built-apps';
import { BENCH_ENV, cpuSeconds, runBenchmark } from './processes';
import { cannon, median, medianSample, pairedRatios, type Row, type Sample, table } from './stats';
import { createInventoryClient } from '@inventory/client';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const READ_CONNECTIONS = 50;
const WRITE_CONNECTIONS = 16;
const SKUS = 5_000;
/** Each side adjusts a store of its own, so one side's writes never contend with the other's items. */
const ADJUST_STORE = { off: 'store-2', token: 'store-3', key: 'store-4' } as const;
type Credential = keyof typeof ADJUST_STORE;

async function main() {
  const provider = await startLocalOidcProvider(
    [{ client_id: 'bench-warehouse', client_secret: 'bench-warehouse-secret-0123', scope: 'inventory/stock-clerk', inventory_stores: '*' }],
    { ttlSeconds: 3600 },
  );
  const bench = await startAppEnvironment({
    stores: 4,
    skusPerStore: SKUS,
    ownDynamoDb: true,
    env: { ...BENCH_ENV, OIDC_ISSUER: provider.issuer, OIDC_JWKS_URL: provider.jwksUrl, OIDC_AUDIENCE: provider.audience },
  });
  const spawn = async (name: string, extra: Record<string, string> = {}) => {
    const port = await freePort();
    const child = await spawnApp(builtAppBundle(name), port, { ...bench.env, ...extra });
    return { child, url: `http://127.0.0.1:${port}` };
  };
  const apps = {
    queryOn: await spawn('query-api'),
    queryOff: await spawn('query-api', { AUTHENTICATION: 'off' }),
    writeOn: await spawn('write-api'),
    writeOff: await spawn('write-api', { AUTHENTICATION: 'off' }),
  };
  const created = await createInventoryClient({ baseUrl: apps.writeOn.url, headers: { authorization: bench.authorization } }).POST(
    '/admin/api-keys',
    { body: { name: 'bench-scanner', role: 'stock-clerk', stores: '*' } },
  );
  const secret = created.data?.secret ?? '';
  const authorization: Record<Credential, Record<string, string>> = {
    off: {},
    token: { authorization: `Bearer ${await provider.token('bench-warehouse')}` },
    key: { authorization: `Bearer ${secret}` },
  };

  const read = (credential: Credential) =>
    cannon({
      url: `${(credential === 'off' ? apps.queryOff : apps.queryOn).url}/inventory/store/store-1`,
      connections: READ_CONNECTIONS,
      duration: SECONDS,
      headers: { 'accept-encoding': 'gzip', ...authorization[credential] },
    });
  let sequence = 0;
  const adjust = (credential: Credential) =>
    cannon({
      url: `${(credential === 'off' ? apps.writeOff : apps.writeOn).url}/inventory/adjust`,
      connections: WRITE_CONNECTIONS,
      duration: SECONDS,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization[credential] },
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            headers: { ...request.headers, 'idempotency-key': randomUUID() },
            body: JSON.stringify({ store_id: ADJUST_STORE[credential], sku: skuOf(sequence++ % SKUS), delta: 1, reason: 'receiving' }),
          }),
        },
      ],
    });
  for (const credential of ['token', 'key'] as const) {
    const { response } = await createInventoryClient({ baseUrl: apps.queryOn.url, headers: authorization[credential] }).GET(
      '/inventory/store/{storeId}',
      { params: { path: { storeId: 'store-1' }, query: { limit: 1 } } },
    );
    const { status } = response;
    if (status !== 200) throw new Error(`the bench's ${credential} is not accepted (${status})`);
  }

  process.stderr.write('warming up...\n');
  for (const credential of ['off', 'token', 'key'] as const) {
    await read(credential);
    await adjust(credential);
  }

  const samples: Record<string, Sample[]> = {};
  const cpuPerRequest: Record<string, number[]> = {};
  const measure = async (name: string, app: AppChild, run: () => Promise<Sample>) => {
    const pid = app.process.pid ?? 0;
    const before = cpuSeconds(pid);
    const sample = await run();
    (samples[name] ??= []).push(sample);
    (cpuPerRequest[name] ??= []).push(((cpuSeconds(pid) - before) * 1e6) / (sample.rps * SECONDS));
  };
  for (let round = 1; round <= ROUNDS; round += 1) {
    process.stderr.write(`round ${round}/${ROUNDS}\n`);
    // Baseline and authenticated side in turn, and token and key pairs in turn, each order flipped
    // every round: the engine's speed drifts, and a pair always measured last read ~7% low.
    const inTurn = async (steps: Array<() => Promise<unknown>>) => {
      for (const step of round % 2 ? steps : steps.reverse()) await step();
    };
    for (const kind of ['read', 'adjust'] as const) {
      const [on, off, run] = kind === 'read' ? [apps.queryOn, apps.queryOff, read] : [apps.writeOn, apps.writeOff, adjust];
      for (const credential of round % 2 ? (['token', 'key'] as const) : (['key', 'token'] as const)) {
        await inTurn([
          () => measure(`${kind} off${credential === 'key' ? ', beside key' : ''}`, off.child, () => run('off')),
          () => measure(`${kind} ${credential}`, on.child, () => run(credential)),
        ]);
      }
    }
  }

  const row = (name: string, ours: string, baseline: string): Row => ({
    name,
    ours: medianSample(samples[ours] ?? []),
    baseline: medianSample(samples[baseline] ?? []),
    baselineName: 'the same, AUTHENTICATION=off',
    target: 0.95,
    roundRatios: pairedRatios(samples[ours], samples[baseline]),
  });
  const rows = [
    row('cached GET store (5,000 SKUs, gzip), bearer token', 'read token', 'read off'),
    row('cached GET store (5,000 SKUs, gzip), API key', 'read key', 'read off, beside key'),
    row('POST /inventory/adjust, keyed, bearer token', 'adjust token', 'adjust off'),
    row('POST /inventory/adjust, keyed, API key', 'adjust key', 'adjust off, beside key'),
  ];
  const cpu = (name: string) => `${median(cpuPerRequest[name] ?? []).toFixed(0)} µs`;
  process.stdout.write(
    `\n${SECONDS} s per measurement, medians of ${ROUNDS} rounds; reads ${READ_CONNECTIONS} connections, adjusts ${WRITE_CONNECTIONS}.\n\n${table(rows)}\n` +
      `\nCPU per request of the serving app: reads off ${cpu('read off')}, token ${cpu('read token')}, key ${cpu('read key')}; ` +
      `adjusts off ${cpu('adjust off')}, token ${cpu('adjust token')}, key ${cpu('adjust key')}.\n`,
  );

  await Promise.all(Object.values(apps).map(({ child }) => child.stop()));
  await bench.stop();
  await provider.stop();
}

runBenchmark(main);
