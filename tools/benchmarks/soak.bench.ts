/**
 * Soak: the three built apps under a steady mix of store reads and updates for SOAK_MINUTES
 * (default 10), with a Restock Storm started every SOAK_STORM_EVERY minutes (default 3). Prints,
 * per minute, reads and updates served with their p99, errors, and each app's RSS; then each app's
 * RSS slope after the first minute (warm-up). Flat is the goal. Not part of `npm test`.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { spawnBuiltApps, startAppEnvironment, stopApps } from '@inventory/service/built-apps';
import { BENCH_ENV, runBenchmark } from './processes';
import { loop, type Sample } from './stats';

const MINUTES = Number(process.env['SOAK_MINUTES'] ?? 10);
const STORM_EVERY = Number(process.env['SOAK_STORM_EVERY'] ?? 3);
const STORES = 20;
const SKUS = 500;
const TOKEN = 'soak-admin-key-0123456789abcdef0123456789';

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** One request over `agent`; rejects on a connection error or any status but 2xx. */
function call(url: string, agent: Agent, method = 'GET', body?: string, headers: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Least-squares slope of `values` per step. */
function slope(values: number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}

async function main() {
  const bench = await startAppEnvironment({
    stores: STORES,
    skusPerStore: SKUS,
    ownDynamoDb: true,
    env: { ...BENCH_ENV, LOCAL_ADMIN_KEY: TOKEN },
  });
  const apps = await spawnBuiltApps(bench, ['query-api', 'write-api', 'restock-worker']);
  const readUrl = apps['query-api']?.url ?? '';
  const writeUrl = apps['write-api']?.url ?? '';
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const read = () => call(`${readUrl}/inventory/store/store-${randomInt(1, STORES + 1)}`, agent);
  const write = (i: number) =>
    call(
      `${writeUrl}/inventory/update`,
      agent,
      'POST',
      JSON.stringify({ store_id: `store-${randomInt(1, STORES + 1)}`, sku: `SKU-${1001 + (i % SKUS)}`, quantity: i % 1000 }),
      { 'content-type': 'application/json' },
    );
  const storm = () =>
    call(
      `${writeUrl}/stress/restock`,
      agent,
      'POST',
      JSON.stringify({ duration_seconds: 60, target_cpu: 50, stores: STORES, skus_per_store: SKUS, change_ratio: 0.5 }),
      { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    ).catch((error: unknown) => process.stderr.write(`storm not started: ${String(error)}\n`));

  const rows: { reads: Sample; writes: Sample; rss: number[]; storm: boolean }[] = [];
  for (let minute = 0; minute < MINUTES; minute += 1) {
    const stormNow = minute % STORM_EVERY === 1;
    if (stormNow) await storm();
    const [reads, writes] = await Promise.all([loop(8, 60, read), loop(4, 60, write)]);
    const rss = Object.values(apps).map((app) => rssMb(app.process.pid ?? 0));
    rows.push({ reads, writes, rss, storm: stormNow });
    process.stderr.write(`minute ${minute + 1}/${MINUTES}\n`);
  }

  const lines = [
    '| minute | storm | reads/s | read p99 ms | updates/s | update p99 ms | errors | RSS query-api MB | RSS write-api MB | RSS restock-worker MB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row, i) =>
        `| ${i + 1} | ${row.storm ? 'started' : ''} | ${row.reads.rps.toFixed(0)} | ${row.reads.p99.toFixed(1)} | ${row.writes.rps.toFixed(0)} | ${row.writes.p99.toFixed(1)} | ${row.reads.failures + row.writes.failures} | ${row.rss.map((mb) => mb.toFixed(0)).join(' | ')} |`,
    ),
  ];
  const slopes = Object.keys(apps).map((name, i) => `${name} ${slope(rows.slice(1).map((row) => row.rss[i] ?? 0)).toFixed(2)} MB/min`);
  process.stdout.write(`\n${lines.join('\n')}\n\nRSS slope after minute 1: ${slopes.join(', ')}\n`);

  agent.destroy();
  await stopApps(apps);
  await bench.stop();
}

runBenchmark(main);
