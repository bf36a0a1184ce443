/**
 * The events consumer's throughput (`npm run bench -- events-consumers`; BENCH_ROUNDS, BENCH_API_CHANGES,
 * BENCH_LATENCY_MS, BENCH_PROFILE_DIR for V8 CPU profiles of the consumers): records/s the built
 * restock-worker in the events role takes off the table's stream with 1, 2 and 4 processes, for
 * API-write records (each names its movement record, read in batches) and for storm records (each
 * carries its movement), beside a raw GetRecords loop over the same shards with as many readers, run
 * right after it. DynamoDB Local's one shard is presented by the fault proxy as four
 * (libs/shared/local-services/src/lib/stream-shards.ts), so processes have shards to share, and every
 * DynamoDB call of every side waits LATENCY_MS there, as a call from a pod to DynamoDB does in AWS
 * (DynamoDB Local answers in well under a millisecond, which hides what a consumer waits for). For
 * API-write records a third figure: the consumer before shard leases, at best — one strongly
 * consistent read of each record's movement, one after another, through the same proxy.
 *
 * A run: the lease table emptied, the stream's GetRecords held at the proxy, the processes started
 * and left to share the four leases evenly; then GetRecords released (the clock starts) and the clock
 * stops when every lease's checkpoint reached its shard's last record. The counters already hold
 * every change (a first, unmeasured run caught up those of the storm records), as in production,
 * where the request path and the storm apply them; one webhook is registered, for an event type
 * these changes never raise, so no delivery is in the figure (deliveries are their own workers,
 * bounded by the receivers). Each consumer process is held to a pod's CPU (POD_CPU, by a CFS quota
 * as Kubernetes does), so the machine's two cores are not what one process gets; the machine's busy
 * share is listed beside each row. The one-process rows' CPU per record go to
 * `tools/capacity/events-unit-costs.json`, the capacity plan's events units.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { StockMovement } from '@inventory/domain/model';
import { builtAppBundle, startAppEnvironment } from '@inventory/service/built-apps';
import { ATTR, ensureInventoryTable, leaseTableName, StoreInventoryRepository } from '@inventory/stock/inventory-table';
import { MovementHistoryRepository } from '@inventory/stock/movements';
import { createDynamoDbClient } from '@inventory/shared/dynamodb';
import { readStream, startDynamoDbFaultProxy, streamEnds } from '@inventory/shared/local-services';
import { WebhookRepository, webhookSecretBox } from '@inventory/events/webhooks';
import { busyShare, capCpu, cpuSeconds, machineCpu, runBenchmark } from './processes';
import { createStockWriters } from '@inventory/stock/store-update';
import { createLogger } from '@inventory/shared/observability';
import { createServiceMetrics } from '@inventory/service/bootstrap';
import { median } from './stats';
import type { EventsUnitCosts } from '../capacity/capacity-plan';

/** Three significant digits. */
const significant = (value: number) => Number(value.toPrecision(3));

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SHARDS = 4;
const PROCESSES = [1, 2, 4];
const API_STORES = 64;
const API_SKUS = 5;
const API_CHANGES = Number(process.env['BENCH_API_CHANGES'] ?? 20);
const STORM_STORES = 20;
const STORM_SKUS = 1_000;
const LEASE_MS = 2_000;
/** What each DynamoDB call waits at the proxy: a pod's round trip to DynamoDB in AWS is single-digit ms. */
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 4);
/**
 * Each consumer process is held to a pod's CPU request (k8s/restock-worker/events-consumer.deployment.yaml:
 * 500m), as a busy node holds it; 0 leaves them free to share the two cores with everything else.
 */
const POD_CPU = Number(process.env['BENCH_POD_CPU'] ?? 0.5);
const PROFILE = process.env['BENCH_PROFILE_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE_DIR']}`] : [];

interface Measured {
  recordsPerSecond: number;
  /** Consumer CPU (all processes) per 1,000 records, ms. */
  cpuMsPerThousand?: number;
  /** How busy the machine's cores were meanwhile (consumers, the proxy, DynamoDB Local, Redis), 0–1. */
  machineBusy?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

runBenchmark(async () => {
  const env = await startAppEnvironment({ stores: 1, skusPerStore: 1, ownDynamoDb: true, env: { LOG_LEVEL: 'warn' } });
  const { backends, config } = env;
  const proxy = await startDynamoDbFaultProxy(env.dynamo.url);
  proxy.presentShards({ partitionKey: ATTR.storeId, count: SHARDS });
  const throughProxy = createDynamoDbClient({ region: config.AWS_REGION, endpoint: proxy.url, timeoutMs: 60_000 });
  const streams = new DynamoDBStreamsClient({
    endpoint: proxy.url,
    region: config.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const stormTable = `${config.DYNAMODB_TABLE}-storm`;
  await ensureInventoryTable(backends.dynamodb, stormTable);
  for (const table of [config.DYNAMODB_TABLE, stormTable])
    await new WebhookRepository(backends.dynamodb, table, webhookSecretBox(config.WEBHOOK_SECRET_KEY)).register({
      url: 'https://receiver.example/hook',
      events: ['stock.promise_at_risk'],
      secret: 'a-secret-of-some-length',
    });

  // API-write records: adjusts through the stock writers, 16 loops, each on stores of its own.
  const logger = createLogger({ app: 'bench', level: 'warn' });
  const writers = createStockWriters({ backends, config, logger, metrics: createServiceMetrics(config, 'bench', logger) });
  await Promise.all(
    Array.from({ length: 16 }, async (_, loop) => {
      for (let store = loop; store < API_STORES; store += 16)
        for (let change = 0; change < API_CHANGES; change += 1)
          for (let sku = 0; sku < API_SKUS; sku += 1)
            await writers.updater.adjust({ store_id: `api-${store}`, sku: `SKU-${sku}`, delta: 1, reason: 'receiving' });
    }),
  );
  // Storm records: items written as the storm writes them, each carrying its movement.
  const storm = new StoreInventoryRepository(backends.dynamodb, stormTable);
  const at = new Date().toISOString();
  for (let store = 0; store < STORM_STORES; store += 1) {
    await storm.putItems(
      Array.from({ length: STORM_SKUS }, (_, sku) => {
        const movement: StockMovement = {
          movement_id: `storm-${store}-${sku}`,
          store_id: `storm-${store}`,
          sku: `SKU-${sku}`,
          delta: 10,
          quantity_before: 0,
          quantity_after: 10,
          version: 1,
          reason: 'restock_sync',
          source: 'storm',
          reference: 'storm:bench',
          actor: 'restock-storm',
          on_behalf_of: null,
          idempotency_key: null,
          request_id: null,
          at,
        };
        return { store_id: movement.store_id, sku: movement.sku, quantity: 10, updated_at: at, version: 1, storm_movement: movement };
      }),
    );
  }

  const streamArn = async (table: string) =>
    (await backends.dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn ?? '';

  // Each stream's census: its records, and each shard's last sequence number (where a caught-up lease stands).
  const census = new Map<string, { arn: string; table: string; records: number; ends: Map<string, string> }>();
  for (const [kind, table] of [
    ['api', config.DYNAMODB_TABLE],
    ['storm', stormTable],
  ] as const) {
    const arn = await streamArn(table);
    census.set(kind, { arn, table, ...(await streamEnds(streams, arn)) });
  }

  const leases = async (table: string) =>
    (await backends.dynamodb.send(new ScanCommand({ TableName: leaseTableName(table), ConsistentRead: true }))).Items?.map((item) => ({
      key: item['leaseKey']?.S ?? '',
      pid: Number((item['leaseOwner']?.S ?? '').split(':')[1]),
      checkpoint: item['checkpoint']?.S ?? '',
    })) ?? [];

  const consumers = async (kind: 'api' | 'storm', processes: number): Promise<Measured> => {
    const { table, records, ends } = census.get(kind) ?? { table: '', records: 0, ends: new Map<string, string>() };
    for (const { key } of await leases(table))
      await backends.dynamodb.send(new DeleteItemCommand({ TableName: leaseTableName(table), Key: { leaseKey: { S: key } } }));
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    proxy.inject('GetRecords', () => ({ until: gate }));
    const children: ChildProcess[] = Array.from({ length: processes }, () =>
      spawn(process.execPath, [...PROFILE, builtAppBundle('restock-worker')], {
        env: {
          ...process.env,
          ...env.env,
          WORKER_ROLE: 'events',
          PORT: '0',
          MANAGEMENT_PORT: '0',
          DYNAMODB_ENDPOINT: proxy.url,
          DYNAMODB_TABLE: table,
          // A held GetRecords waits, it does not time out.
          DYNAMODB_TIMEOUT_MS: '60000',
          EVENTS_LEASE_MS: String(LEASE_MS),
          EVENTS_IDLE_MS: '100',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );
    const pids = children.map((child) => child.pid ?? 0);
    const releases = POD_CPU > 0 ? pids.map((pid) => capCpu(pid, POD_CPU)) : [];
    for (let balanced = false; !balanced; await sleep(100)) {
      const held = await leases(table);
      balanced = held.length === SHARDS && pids.every((pid) => held.filter((lease) => lease.pid === pid).length === SHARDS / processes);
    }
    const cpuBefore = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const started = performance.now();
    const machineBefore = machineCpu();
    proxy.inject('GetRecords', () => undefined);
    release();
    for (let done = false; !done; await sleep(20)) {
      const held = await leases(table);
      done = [...ends].every(([shard, end]) => {
        const checkpoint = held.find((lease) => lease.key === shard)?.checkpoint ?? '';
        return /^\d+$/.test(checkpoint) && BigInt(checkpoint) >= BigInt(end);
      });
    }
    const seconds = (performance.now() - started) / 1_000;
    const machineBusy = busyShare(machineBefore, machineCpu());
    const cpu = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - cpuBefore;
    // A profiled process stops gracefully, to write its profile.
    for (const child of children) child.kill(PROFILE.length ? 'SIGTERM' : 'SIGKILL');
    await Promise.all(
      children.map((child) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(0)))),
    );
    await Promise.all(releases.map((release) => release()));
    return { recordsPerSecond: records / seconds, cpuMsPerThousand: (cpu * 1_000_000) / records, machineBusy };
  };

  const raw = async (kind: 'api' | 'storm', readers: number): Promise<Measured> => {
    const { arn, records } = census.get(kind) ?? { arn: '', records: 0 };
    const started = performance.now();
    await readStream(streams, arn, () => undefined, readers);
    return { recordsPerSecond: records / ((performance.now() - started) / 1_000) };
  };

  /** The consumer before shard leases, at best: a strongly consistent read of each record's movement, one after another. */
  const before = async (): Promise<Measured> => {
    const { arn, records } = census.get('api') ?? { arn: '', records: 0 };
    const history = new MovementHistoryRepository(throughProxy, config.DYNAMODB_TABLE);
    const started = performance.now();
    await readStream(streams, arn, async (_, page) => {
      for (const record of page) {
        const image = record.dynamodb?.NewImage;
        await history.movementsOf([
          {
            storeId: image?.[ATTR.storeId]?.S ?? '',
            sku: image?.[ATTR.sku]?.S ?? '',
            version: Number(image?.[ATTR.version]?.N),
            at: image?.[ATTR.movementAt]?.S ?? '',
          },
        ]);
      }
    });
    return { recordsPerSecond: records / ((performance.now() - started) / 1_000) };
  };

  // From here every DynamoDB call of the consumers, the raw loop and the floor crosses AWS's latency.
  proxy.latency(LATENCY_MS);
  // Unmeasured: the storm records' counters caught up once, every process started warm once.
  for (const kind of ['api', 'storm'] as const) await consumers(kind, 4);
  const results: Record<string, { ours: Measured[]; raw: Measured[] }> = {};
  const floor: Measured[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const kind of ['api', 'storm'] as const) {
      for (const processes of round % 2 ? [...PROCESSES].reverse() : PROCESSES) {
        const row = (results[`${kind}-${processes}`] ??= { ours: [], raw: [] });
        row.ours.push(await consumers(kind, processes));
        row.raw.push(await raw(kind, processes));
        process.stderr.write(
          `round ${round + 1} ${kind} ×${processes}: ${Math.round(row.ours.at(-1)?.recordsPerSecond ?? 0)} vs raw ${Math.round(row.raw.at(-1)?.recordsPerSecond ?? 0)} records/s\n`,
        );
      }
      if (kind === 'api') floor.push(await before());
    }
  }

  const rate = (samples: Measured[]) => median(samples.map((sample) => sample.recordsPerSecond));
  const lines = [
    `\n${ROUNDS} rounds; ${LATENCY_MS} ms added to every DynamoDB call; each consumer process held to ${POD_CPU || 'no'} core; ${census.get('api')?.records} API-write records (${API_STORES} stores × ${API_SKUS} SKUs × ${API_CHANGES}), ${census.get('storm')?.records} storm records (${STORM_STORES} stores × ${STORM_SKUS} SKUs); ${SHARDS} shards\n`,
    '| records | processes | consumers records/s | raw GetRecords records/s (as many readers) | ratio (median) | rounds | consumer CPU ms per 1,000 records | machine CPU busy | × 1 process |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|',
  ];
  for (const kind of ['api', 'storm'] as const) {
    const one = rate(results[`${kind}-1`]?.ours ?? []);
    for (const processes of PROCESSES) {
      const { ours, raw: baseline } = results[`${kind}-${processes}`] ?? { ours: [], raw: [] };
      const ratios = ours.map((sample, i) => sample.recordsPerSecond / (baseline[i]?.recordsPerSecond ?? 1));
      lines.push(
        `| ${kind === 'api' ? 'API-write' : 'storm'} | ${processes} | ${Math.round(rate(ours))} | ${Math.round(rate(baseline))} | ${median(ratios).toFixed(2)}× | ${ratios
          .map((ratio) => ratio.toFixed(2))
          .join(
            ', ',
          )} | ${Math.round(median(ours.map((sample) => sample.cpuMsPerThousand ?? 0)))} | ${Math.round(100 * median(ours.map((sample) => sample.machineBusy ?? 0)))}% | ${(rate(ours) / one).toFixed(2)} |`,
      );
    }
    const four = rate(results[`${kind}-4`]?.ours ?? []);
    lines.push(`| ${kind} slope | | ${Math.round((four - one) / 3)} records/s per added process (1 → 4) | | | | | | |`);
  }
  const oneApi = results['api-1']?.ours ?? [];
  lines.push(
    `\nAPI-write records, 1 process vs the consumer before shard leases (a read per record, one after another): ${Math.round(rate(oneApi))} vs ${Math.round(rate(floor))} records/s = ${(rate(oneApi) / rate(floor)).toFixed(1)}× (rounds: ${oneApi
      .map((sample, i) => (sample.recordsPerSecond / (floor[i]?.recordsPerSecond ?? 1)).toFixed(1))
      .join(', ')})\n`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  // The capacity plan's events units (tools/capacity/README.md#events): one pod's CPU per record, busy.
  const cpuPerRecord = (kind: string) =>
    significant(median((results[`${kind}-1`]?.ours ?? []).map((sample) => sample.cpuMsPerThousand ?? 0)) / 1e6);
  const units: EventsUnitCosts = {
    events_measured: `npm run bench -- events-consumers, ${new Date().toISOString().slice(0, 10)}, ${ROUNDS} rounds, one process held to ${POD_CPU || 'no'} core, ${LATENCY_MS} ms a DynamoDB call`,
    events_cpu_s_per_storm_record: cpuPerRecord('storm'),
    events_cpu_s_per_api_record: cpuPerRecord('api'),
  };
  writeFileSync(join(__dirname, '../capacity/events-unit-costs.json'), `${JSON.stringify(units, null, 2)}\n`);
  streams.destroy();
  throughProxy.destroy();
  await proxy.stop();
  await env.stop();
  process.exit(0);
});
