/**
 * Benchmark: what the metrics path costs cached reads. Two query-api processes on the same
 * data, measured alternately in the same run: one with METRICS_ENABLED=false (the baseline), one
 * recording every figure for Prometheus and CloudWatch, flushing to a local CloudWatch stand-in every
 * 5 s (12× production's rate) and scraped once a second (15× a usual scrape interval).
 * Env: BENCH_SECONDS (per measurement, default 5), BENCH_ROUNDS (default 5), BENCH_ENCODING (gzip).
 */
import { join } from 'node:path';
import { freePort, startLocalCloudWatch } from '@inventory/shared/local-services';
import { startAppEnvironment, spawnApp } from '@inventory/service/built-apps';
import { BENCH_ENV, runBenchmark } from './processes';
import { cannon, medianSample, pairedRatios, type Row, type Sample, table } from './stats';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const ENCODING = process.env['BENCH_ENCODING'] ?? 'gzip';
const CONNECTIONS = 50;
const root = join(__dirname, '..', '..');

async function main() {
  const bench = await startAppEnvironment({ stores: 1, skusPerStore: 5_000, ownDynamoDb: true, env: BENCH_ENV });
  const cloudWatch = await startLocalCloudWatch();
  const bundle = join(root, 'dist/apps/query-api/main.js');
  const offPort = await freePort();
  const onPort = await freePort();
  const off = await spawnApp(bundle, offPort, { ...bench.env, METRICS_ENABLED: 'false' });
  const on = await spawnApp(bundle, onPort, {
    ...bench.env,
    METRICS_ENABLED: 'true',
    CLOUDWATCH_METRICS_ENABLED: 'true',
    CLOUDWATCH_ENDPOINT: cloudWatch.url,
    METRICS_FLUSH_SECONDS: '5',
  });

  const read = (port: number) =>
    cannon({
      url: `http://127.0.0.1:${port}/inventory/store/store-1`,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { 'accept-encoding': ENCODING, authorization: bench.authorization },
    });
  const scraped = async (managementUrl: string, measure: Promise<Sample>) => {
    const scraper = setInterval(
      () =>
        void fetch(`${managementUrl}/metrics`).then(
          (r) => r.text(),
          () => undefined,
        ),
      1_000,
    );
    try {
      return await measure;
    } finally {
      clearInterval(scraper);
    }
  };

  process.stderr.write('warming up...\n');
  for (const port of [offPort, onPort])
    await cannon({
      url: `http://127.0.0.1:${port}/inventory/store/store-1`,
      connections: CONNECTIONS,
      duration: 2,
      headers: { 'accept-encoding': ENCODING, authorization: bench.authorization },
    });

  const offSamples: Sample[] = [];
  const onSamples: Sample[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    process.stderr.write(`round ${round}/${ROUNDS}\n`);
    // Alternate which goes first, so drift in the machine's load does not favour one side.
    if (round % 2) {
      offSamples.push(await read(offPort));
      onSamples.push(await scraped(on.managementUrl, read(onPort)));
    } else {
      onSamples.push(await scraped(on.managementUrl, read(onPort)));
      offSamples.push(await read(offPort));
    }
  }
  await Promise.all([off.stop(), on.stop()]);

  const rows: Row[] = [
    {
      name: `cached GET store (${ENCODING}), metrics on`,
      ours: medianSample(onSamples),
      baseline: medianSample(offSamples),
      baselineName: 'same app, METRICS_ENABLED=false',
      target: 0.95,
      roundRatios: pairedRatios(onSamples, offSamples),
    },
  ];
  const datums = cloudWatch.requests.flatMap((request) => request.body.MetricData);
  const events = datums.reduce((sum, datum) => sum + (datum.Counts ?? []).reduce((a, b) => a + b, 0), 0);
  process.stdout.write(
    `\n${SECONDS} s per measurement, the median of ${ROUNDS} alternating rounds' own ratios, ${CONNECTIONS} connections.\n\n${table(rows)}\n\n` +
      `CloudWatch received ${cloudWatch.requests.length} PutMetricData calls carrying ${datums.length} datums for ${events} recorded values.\n`,
  );
  await cloudWatch.stop();
  await bench.stop();
}

runBenchmark(main);
