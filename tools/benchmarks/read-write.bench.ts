/**
 * Benchmark: cached store reads and single updates through the real apps, each beside a
 * baseline measured in the same run on the same servers (medians of alternating rounds).
 *   - cached GET of a 5,000-SKU store (identity and gzip) vs raw node:http sending the same bytes;
 *   - POST /inventory/update vs a loop of the same raw SDK transaction + Redis calls;
 *   - POST /inventory/adjust with an Idempotency-Key vs a loop of the same raw calls, key included.
 * Each write case has a store of its own (its side's last known versions stay true).
 * Env: BENCH_SECONDS (per measurement, default 5), BENCH_ROUNDS (default 3), BENCH_CASES (a comma
 * list of identity,gzip,delta,update,adjust; default all), BENCH_APP_LOG_LEVEL (default info, as in production).
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { skuOf } from '@inventory/domain/model';
import { freePort } from '@inventory/shared/local-services';
import { startAppEnvironment, spawnApp } from '@inventory/service/built-apps';
import { BENCH_ENV, cpuSeconds, runBenchmark, spawnNode } from './processes';
import { RawStockWrites } from './raw-stock-writes';
import { cannon, loop, median, medianSample, pairedRatios, type Row, type Sample, table } from './stats';
import { createInventoryClient } from '@inventory/client';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const READ_CONNECTIONS = 50;
const UPDATE_CONNECTIONS = Number(process.env['BENCH_UPDATE_CONNECTIONS'] ?? 16);
const SKUS = 5_000;
const CASES = new Set((process.env['BENCH_CASES'] ?? 'identity,gzip,delta,update,adjust').split(','));
/** store-1 is read; each write case writes a store of its own. */
const STORE = { ours: 'store-2', rawLoop: 'store-3', rawHttp: 'store-4', oursAdjust: 'store-5', rawAdjust: 'store-6' };
const root = join(__dirname, '..', '..');

async function main() {
  const bench = await startAppEnvironment({ stores: 6, skusPerStore: SKUS, ownDynamoDb: true, env: BENCH_ENV });
  const { env, config, backends, authorization } = bench;

  const queryPort = await freePort();
  const writePort = await freePort();
  const queryApi = await spawnApp(join(root, 'dist/apps/query-api/main.js'), queryPort, env);
  const writeApi = await spawnApp(join(root, 'dist/apps/write-api/main.js'), writePort, env);
  const readUrl = `http://127.0.0.1:${queryPort}/inventory/store/store-1`;
  // A delta read of one change: the version before one update of store-1, asked for ever after.
  const reader = createInventoryClient({ baseUrl: `http://127.0.0.1:${queryPort}`, headers: { authorization } });
  const store = { path: { storeId: 'store-1' } };
  const sinceVersion = (await reader.GET('/inventory/store/{storeId}', { params: { ...store, query: { limit: 1 } } })).response.headers.get(
    'x-store-version',
  );
  await createInventoryClient({ baseUrl: `http://127.0.0.1:${writePort}`, headers: { authorization } }).POST('/inventory/update', {
    body: { store_id: 'store-1', sku: skuOf(7), quantity: 4242 },
  });
  const deltaUrl = `${readUrl}/changes?since_version=${sinceVersion}`;
  const delta = await reader.GET('/inventory/store/{storeId}/changes', {
    params: { ...store, query: { since_version: Number(sinceVersion) } },
    parseAs: 'text',
  });
  const deltaBytes = Buffer.byteLength(delta.data ?? '');

  // The exact bytes query-api sends, for the baseline to send too.
  const plain = await fetch(readUrl, { headers: { 'accept-encoding': 'identity', authorization } });
  const identity = Buffer.from(await plain.arrayBuffer());
  const etag = plain.headers.get('etag') ?? '';
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  writeFileSync(join(dir, 'identity.json'), identity);
  const cached = await backends.cache.get('store-1', await backends.cache.currentVersion('store-1'));
  if (!cached) throw new Error('store-1 is not in the read cache after a read');
  writeFileSync(join(dir, 'body.json.gz'), cached.gzip);
  const raw = await spawnNode([join(__dirname, 'raw-http-server.mjs'), join(dir, 'identity.json'), join(dir, 'body.json.gz'), etag]);
  const rawUpdateServer = await spawnNode(['--import', 'tsx', join(__dirname, 'raw-update-server.ts')], {
    ...env,
    TSX_TSCONFIG_PATH: join(root, 'tools/tsconfig.json'),
  });
  const rawUrl = `http://127.0.0.1:${raw.firstLine}/`;

  const read = (url: string, encoding: string) =>
    cannon({ url, connections: READ_CONNECTIONS, duration: SECONDS, headers: { 'accept-encoding': encoding, authorization } });
  let sequence = 0;
  const nextBody = (store: string) => () => JSON.stringify({ store_id: store, sku: skuOf(sequence++ % SKUS), quantity: sequence % 1000 });
  const post = (port: number, path: string, body: () => string, headers: () => Record<string, string> = () => ({})) =>
    cannon({
      url: `http://127.0.0.1:${port}${path}`,
      connections: UPDATE_CONNECTIONS,
      duration: SECONDS,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...headers() }, body: body() }) }],
    });
  const update = (port = writePort) => post(port, '/inventory/update', nextBody(port === writePort ? STORE.ours : STORE.rawHttp));
  const adjustBody = () => JSON.stringify({ store_id: STORE.oursAdjust, sku: skuOf(sequence++ % SKUS), delta: 1, reason: 'receiving' });
  const adjust = () => post(writePort, '/inventory/adjust', adjustBody, () => ({ 'idempotency-key': randomUUID() }));
  const rawWrites = new RawStockWrites(backends, config.DYNAMODB_TABLE);
  const rawUpdate = () => loop(UPDATE_CONNECTIONS, SECONDS, (i) => rawWrites.write(STORE.rawLoop, skuOf(i % SKUS), { quantity: i % 1000 }));
  const rawAdjust = () =>
    loop(UPDATE_CONNECTIONS, SECONDS, (i) => rawWrites.write(STORE.rawAdjust, skuOf(i % SKUS), { delta: 1, idempotencyKey: randomUUID() }));

  // Both sides get JIT-warm code before anything is measured (the apps start cold; the baselines
  // run in this process, already warmed by seeding).
  process.stderr.write(`warming up (store of ${identity.length} bytes)...\n`);
  const warmUp = { connections: READ_CONNECTIONS, duration: 2 };
  await cannon({ ...warmUp, url: readUrl, headers: { 'accept-encoding': 'identity' } });
  await cannon({ ...warmUp, url: readUrl, headers: { 'accept-encoding': 'gzip' } });
  await cannon({ ...warmUp, url: rawUrl });
  if (CASES.has('update')) {
    await update();
    await update(Number(rawUpdateServer.firstLine));
  }
  if (CASES.has('adjust')) await adjust();

  const samples: Record<string, Sample[]> = {};
  const record = (name: string, sample: Sample) => (samples[name] ??= []).push(sample);
  // Each update path is bound by the one process that serves it: its CPU per request says why.
  const cpuPerRequest: Record<string, number[]> = {};
  const recordWithCpu = async (name: string, pid: number, measure: () => Promise<Sample>) => {
    const before = cpuSeconds(pid);
    const sample = await measure();
    record(name, sample);
    (cpuPerRequest[name] ??= []).push(((cpuSeconds(pid) - before) * 1e6) / (sample.rps * SECONDS));
  };
  for (let round = 1; round <= ROUNDS; round += 1) {
    process.stderr.write(`round ${round}/${ROUNDS}\n`);
    // Odd rounds measure ours first, even rounds the baselines first: the engine's speed drifts
    // within a run, and a fixed order would hand that drift to one side.
    const inTurn = async (steps: (() => Promise<unknown>)[]) => {
      for (const step of round % 2 ? steps.reverse() : steps) await step();
    };
    if (CASES.has('identity')) {
      await inTurn([
        async () => record('raw identity', await read(rawUrl, 'identity')),
        async () => record('ours identity', await read(readUrl, 'identity')),
      ]);
    }
    if (CASES.has('gzip')) {
      await inTurn([
        async () => record('raw gzip', await read(rawUrl, 'gzip')),
        async () => record('ours gzip', await read(readUrl, 'gzip')),
      ]);
    }
    if (CASES.has('delta')) {
      await inTurn([
        async () => record('ours gzip, beside delta', await read(readUrl, 'gzip')),
        async () => record('ours delta', await read(deltaUrl, 'gzip')),
      ]);
    }
    if (CASES.has('update')) {
      await inTurn([
        () => recordWithCpu('raw update', process.pid, rawUpdate),
        () => recordWithCpu('raw http update', rawUpdateServer.process.pid ?? 0, () => update(Number(rawUpdateServer.firstLine))),
        () => recordWithCpu('ours update', writeApi.process.pid ?? 0, () => update()),
      ]);
    }
    if (CASES.has('adjust')) {
      await inTurn([
        () => recordWithCpu('raw adjust', process.pid, rawAdjust),
        () => recordWithCpu('ours adjust', writeApi.process.pid ?? 0, adjust),
      ]);
    }
  }
  const m = (name: string) => medianSample(samples[name] ?? []);
  const rows: Row[] = [
    {
      name: `cached GET store (5,000 SKUs, ${(identity.length / 1024).toFixed(0)} KB identity)`,
      ours: m('ours identity'),
      baseline: m('raw identity'),
      baselineName: 'raw node:http, same bytes',
      target: 0.8,
      roundRatios: pairedRatios(samples['ours identity'], samples['raw identity']),
    },
    {
      name: 'cached GET store, gzip',
      ours: m('ours gzip'),
      baseline: m('raw gzip'),
      baselineName: 'raw node:http, same bytes',
      target: 0.8,
      roundRatios: pairedRatios(samples['ours gzip'], samples['raw gzip']),
    },
    {
      name: `GET store ?since_version, 1 change (${deltaBytes} B, ${((deltaBytes / cached.gzip.length) * 100).toFixed(2)} % of the full gzip answer's ${cached.gzip.length} B; target ≤ 2 %)`,
      ours: m('ours delta'),
      baseline: m('ours gzip, beside delta'),
      baselineName: 'cached GET store, gzip (the whole answer)',
      target: 1,
      roundRatios: pairedRatios(samples['ours delta'], samples['ours gzip, beside delta']),
    },
    {
      name: 'POST /inventory/update',
      ours: m('ours update'),
      baseline: m('raw update'),
      baselineName: 'raw SDK transaction + Redis counters loop',
      target: 0.7,
      roundRatios: pairedRatios(samples['ours update'], samples['raw update']),
    },
    {
      name: 'POST /inventory/update (reference)',
      ours: m('ours update'),
      baseline: m('raw http update'),
      baselineName: 'raw node:http making the same calls',
      target: 0.6,
      roundRatios: pairedRatios(samples['ours update'], samples['raw http update']),
    },
    {
      name: 'POST /inventory/adjust, keyed',
      ours: m('ours adjust'),
      baseline: m('raw adjust'),
      baselineName: 'raw SDK key lookup + transaction + Redis loop',
      target: 0.7,
      roundRatios: pairedRatios(samples['ours adjust'], samples['raw adjust']),
    },
  ].filter((row) => row.roundRatios.length > 0);
  process.stdout.write(
    `\n${SECONDS} s per measurement, medians of ${ROUNDS} rounds; reads ${READ_CONNECTIONS} connections, updates ${UPDATE_CONNECTIONS}.\n\n${table(rows)}\n`,
  );
  const cpu = (name: string) => `${median(cpuPerRequest[name] ?? []).toFixed(0)} µs`;
  if (CASES.has('update')) {
    process.stdout.write(
      `\nCPU per update of the process serving it: write-api ${cpu('ours update')}, raw node:http ${cpu('raw http update')}, raw loop (this process, with autocannon idle) ${cpu('raw update')}.\n`,
    );
  }
  if (CASES.has('adjust')) {
    process.stdout.write(`CPU per keyed adjust: write-api ${cpu('ours adjust')}, raw loop ${cpu('raw adjust')}.\n`);
  }

  await Promise.all([queryApi.stop(), writeApi.stop(), raw.stop(), rawUpdateServer.stop()]);
  await bench.stop();
}

runBenchmark(main);
