import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStack } from '../local-stack/local-stack';
import { readLoadProfile } from './load-profile';
import { type LocalLoadReport, runLocalLoad } from './local-load';

/**
 * `npm run load [-- --seconds 60 --scale 0.25]`: the k6 scenario's mix on this machine. Against
 * `--url` (e.g. `npm start`'s http://localhost:8080, with --key: an admin key, as LOCAL_ADMIN_KEY), or by
 * default against a local stack it starts on free ports and seeds with --seed-stores × --seed-skus.
 * Exits 1 when a threshold fails.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      key: { type: 'string', default: process.env['LOCAL_ADMIN_KEY'] },
      seconds: { type: 'string', default: '30' },
      scale: { type: 'string', default: '0.25' },
      'seed-stores': { type: 'string', default: '40' },
      'seed-skus': { type: 'string', default: '1000' },
    },
    strict: true,
  });
  const seconds = Number(values.seconds);
  const rateScale = Number(values.scale);
  const seedStores = Number(values['seed-stores']);
  const seedSkus = Number(values['seed-skus']);
  for (const [name, value] of Object.entries({ seconds, scale: rateScale, 'seed-stores': seedStores, 'seed-skus': seedSkus })) {
    if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  }
  const profile = readLoadProfile();
  const log = (line: string) => process.stderr.write(`${line}\n`);

  let report: LocalLoadReport;
  if (values.url) {
    if (!values.key) throw new Error('--key (or LOCAL_ADMIN_KEY) is required with --url: an admin key of that platform');
    report = await runLocalLoad({ baseUrl: values.url, profile, seconds, rateScale, credential: values.key, storm: {} });
  } else {
    const adminKey = `local-load-${randomBytes(24).toString('hex')}`;
    log(`starting a local stack seeded with ${seedStores} stores × ${seedSkus} SKUs...`);
    const stack = await startLocalStack({
      gatewayPort: 0,
      appPorts: { 'query-api': 0, 'write-api': 0, 'restock-worker': 0, 'events-consumer': 0 },
      dynamoPort: 0,
      redisUrl: process.env['REDIS_URL'],
      redisKeyPrefix: `load-${process.pid}`,
      restockQueuePrefix: `{load-${process.pid}}`,
      adminKey,
      seed: { stores: seedStores, skusPerStore: seedSkus },
      workspaceRoot: join(__dirname, '..', '..'),
      logLevel: 'warn',
      log,
    });
    try {
      // The seeded stores stand for the fleet: the first quarter hot, the rest cold.
      const localProfile = {
        ...profile,
        stores: seedStores,
        hot_stores: Math.max(1, Math.floor(seedStores / 4)),
        skus_per_store: seedSkus,
      };
      report = await runLocalLoad({
        baseUrl: stack.gatewayUrl,
        profile: localProfile,
        seconds,
        rateScale,
        credential: adminKey,
        storm: { stores: seedStores, skus_per_store: seedSkus },
      });
    } finally {
      await stack.stop();
    }
  }
  console.table(
    report.scenarios.map(({ scenario, rate_per_second, requests, error_rate, p50_ms, p95_ms, p99_ms, p95_limit_ms, passed }) => ({
      scenario,
      rate_per_second,
      requests,
      error_rate,
      p50_ms,
      p95_ms,
      p99_ms,
      p95_limit_ms,
      passed,
    })),
  );
  log(`storm trigger: ${report.storm_status ?? 'not sent'}; ${report.passed ? 'all thresholds passed' : 'THRESHOLDS FAILED'}`);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`load: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
