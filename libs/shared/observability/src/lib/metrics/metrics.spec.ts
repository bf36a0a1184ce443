import { type LocalCloudWatch, startLocalCloudWatch } from '@inventory/shared/local-services';
import { createLogger } from '../logger';
import type { CloudWatchPublisher } from './cloudwatch-publisher';
import { Metrics } from './metrics';

const logger = createLogger({ app: 'test', level: 'silent' });

function metricsSendingTo(cloudWatch: LocalCloudWatch, maxPendingDatums = 10_000): Metrics {
  return new Metrics({
    app: 'query-api',
    environment: 'test',
    enabled: true,
    // A long interval: the tests flush by hand.
    cloudWatch: { region: 'us-east-1', endpoint: cloudWatch.url, flushIntervalMs: 3_600_000, maxPendingDatums },
    logger,
  });
}

function publisherOf(metrics: Metrics): CloudWatchPublisher {
  if (!metrics.cloudWatch) throw new Error('CloudWatch is not configured');
  return metrics.cloudWatch;
}

/** The value at quantile q of a Values/Counts distribution, as CloudWatch computes percentiles from it. */
function percentile(pairs: Array<[number, number]>, q: number): number {
  const sorted = [...pairs].sort(([a], [b]) => a - b);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= q * total) return value;
  }
  return Number.NaN;
}

describe('Metrics to CloudWatch (the real client against a recording endpoint)', () => {
  let cloudWatch: LocalCloudWatch;
  let metrics: Metrics;

  beforeEach(async () => {
    cloudWatch = await startLocalCloudWatch();
    metrics = metricsSendingTo(cloudWatch);
  });

  afterEach(async () => {
    await metrics.close(1_000);
    await cloudWatch.stop();
  });

  it('when a busy interval is flushed, then one PutMetricData call carries every metric, with the exact namespace and names', async () => {
    for (let i = 0; i < 2_000; i += 1) {
      metrics.timing('QueryDuration', 1 + (i % 50));
      metrics.count(i % 4 === 0 ? 'CacheMiss' : 'CacheHit');
    }
    metrics.count('QueryError');
    metrics.count('InventoryUpdated', 3);
    metrics.count('UpdateError');
    metrics.gauge('RestockCPU', 79.5);
    metrics.count('RestockIterations', 250);
    metrics.count('RestockChangesKept', 2);
    metrics.count('RestockCompleted', 1, { outcome: 'completed' });
    metrics.count('RateLimited', 1, { limit: 'writes' });
    metrics.count('RateLimitFailOpen', 1, { limit: 'writes' });
    metrics.count('StockEvents', 4, { type: 'stock.movement' });
    metrics.count('WebhookDelivered');
    metrics.count('WebhookDeadLettered');
    await publisherOf(metrics).flush();

    expect(cloudWatch.requests).toHaveLength(1);
    const [request] = cloudWatch.requests;
    expect(request.target).toBe('GraniteServiceVersion20100801.PutMetricData');
    // Written out, not read from the catalog: the original service's namespace and its nine metrics,
    // which dashboards and alarms depend on (a typo in the catalog must fail here), then ours.
    expect(request.body.Namespace).toBe('CloudCafe/Inventory');
    const names = new Set(request.body.MetricData.map((datum) => datum.MetricName));
    const original = [
      'RestockCPU',
      'RestockIterations',
      'RestockCompleted',
      'QueryDuration',
      'CacheHit',
      'CacheMiss',
      'InventoryUpdated',
      'QueryError',
      'UpdateError',
    ];
    expect(original.filter((name) => !names.has(name))).toEqual([]);
    expect(names).toEqual(
      new Set([
        ...original,
        'RestockChangesKept',
        'RateLimited',
        'RateLimitFailOpen',
        'StockEvents',
        'WebhookDelivered',
        'WebhookDeadLettered',
      ]),
    );
    const hits = request.body.MetricData.find((datum) => datum.MetricName === 'CacheHit');
    expect(hits).toMatchObject({ Unit: 'Count', Values: [1], Counts: [1_500] });
    expect(publisherOf(metrics).stats).toMatchObject({ datumsSent: request.body.MetricData.length, datumsDropped: 0 });
  });

  it('when metrics are sent, then their only dimensions are the service and environment, never a store or SKU', async () => {
    metrics.count('CacheHit');
    metrics.count('RestockCompleted', 1, { outcome: 'stopped' });
    await publisherOf(metrics).flush();
    const sent = cloudWatch.requests.flatMap((request) => request.body.MetricData);
    expect(sent.map((datum) => datum.MetricName).sort()).toEqual(['CacheHit', 'RestockCompleted']);
    for (const datum of sent) {
      expect(datum.Dimensions).toEqual([
        { Name: 'Service', Value: 'query-api' },
        { Name: 'Environment', Value: 'test' },
      ]);
    }
  });

  it('when many query timings are recorded, then CloudWatch receives their distribution, so percentiles survive', async () => {
    // 1,000 reads: 990 fast ones of 2-11 ms and a slow tail of 10 at 400-490 ms.
    const recorded: number[] = [];
    for (let i = 0; i < 990; i += 1) recorded.push(2 + (i % 10) + 0.25);
    for (let i = 0; i < 10; i += 1) recorded.push(400 + i * 10);
    for (const ms of recorded) metrics.timing('QueryDuration', ms);
    await publisherOf(metrics).flush();

    const datums = cloudWatch.requests[0].body.MetricData.filter((datum) => datum.MetricName === 'QueryDuration');
    expect(datums.every((datum) => datum.Unit === 'Milliseconds')).toBe(true);
    const pairs = datums.flatMap((datum) => (datum.Values ?? []).map((value, i): [number, number] => [value, (datum.Counts ?? [])[i]]));
    expect(pairs.reduce((sum, [, count]) => sum + count, 0)).toBe(1_000);
    const sum = pairs.reduce((total, [value, count]) => total + value * count, 0);
    const exactSum = recorded.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - exactSum) / exactSum).toBeLessThan(0.005);
    const exact = recorded.map((ms): [number, number] => [ms, 1]);
    // Three significant digits: each percentile within 0.5% of the exact one.
    for (const q of [0.5, 0.9, 0.99, 0.995]) {
      expect(Math.abs(percentile(pairs, q) - percentile(exact, q)) / percentile(exact, q)).toBeLessThanOrEqual(0.005);
    }
    expect(percentile(pairs, 0.995)).toBeGreaterThanOrEqual(440);
    expect(Math.max(...pairs.map(([value]) => value))).toBe(490);
  });

  it('when CloudWatch throttles, then the flush retries with backoff and the metrics arrive once', async () => {
    cloudWatch.behave('throttle', 2);
    metrics.count('InventoryUpdated', 7);
    await publisherOf(metrics).flush();
    const accepted = cloudWatch.requests.filter((request) => request.answeredWith === 'accept');
    expect(cloudWatch.requests.map((request) => request.answeredWith)).toEqual(['throttle', 'throttle', 'accept']);
    expect(accepted).toHaveLength(1);
    expect(accepted[0].body.MetricData).toEqual([expect.objectContaining({ MetricName: 'InventoryUpdated', Values: [7], Counts: [1] })]);
  });

  it('when CloudWatch is down for a whole flush, then its metrics are kept and sent with the next one', async () => {
    cloudWatch.behave('fail');
    metrics.count('UpdateError');
    await publisherOf(metrics).flush();
    expect(publisherOf(metrics).stats.requestsFailed).toBe(1);

    cloudWatch.behave('accept');
    metrics.count('InventoryUpdated');
    await publisherOf(metrics).flush();
    const delivered = cloudWatch.requests
      .filter((request) => request.answeredWith === 'accept')
      .flatMap((request) => request.body.MetricData);
    expect(delivered.map((datum) => datum.MetricName).sort()).toEqual(['InventoryUpdated', 'UpdateError']);
    expect(publisherOf(metrics).stats.datumsDropped).toBe(0);
  });

  it('when CloudWatch stays down past the buffer, then the oldest metrics are dropped, counted and exported to Prometheus', async () => {
    await metrics.close(1_000);
    metrics = metricsSendingTo(cloudWatch, 2);
    cloudWatch.behave('fail');
    metrics.count('CacheHit');
    metrics.count('CacheMiss');
    await publisherOf(metrics).flush();
    metrics.count('QueryError');
    await publisherOf(metrics).flush();

    expect(publisherOf(metrics).stats.datumsDropped).toBe(1);
    expect((await metrics.exposition()).body).toMatch(/^inventory_metrics_dropped_total\{app="query-api"\} 1$/m);
  });

  it('when CloudWatch hangs, then recording stays instant and stopping waits no longer than its limit', async () => {
    cloudWatch.behave('hang');
    metrics.count('CacheHit');
    let settled = false;
    const flushed = publisherOf(metrics)
      .flush()
      .finally(() => (settled = true));
    for (let i = 0; i < 10_000; i += 1) metrics.timing('QueryDuration', i % 100);
    // Recorded while the flush still hangs: recording never waits for CloudWatch.
    expect(settled).toBe(false);
    const stopping = performance.now();
    await metrics.close(300);
    // Stopped at its limit, well before the hang ends (only when the spec stops the server).
    expect(settled).toBe(false);
    expect(performance.now() - stopping).toBeLessThan(5_000);
    await cloudWatch.stop();
    await flushed;
    expect(publisherOf(metrics).stats.requestsFailed).toBe(1);
  });
});

describe('Metrics to Prometheus', () => {
  it('when figures are recorded, then the exposition has them under Prometheus names beside the process metrics', async () => {
    const metrics = new Metrics({ app: 'write-api', environment: 'test', enabled: true, logger });
    metrics.count('InventoryUpdated', 2);
    metrics.timing('QueryDuration', 12);
    metrics.count('RestockCompleted', 1, { outcome: 'completed' });
    metrics.httpRequest('POST', '/inventory/update', 200, 0.004);
    const { contentType, body } = await metrics.exposition();
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toMatch(/^inventory_updates_total\{app="write-api"\} 2$/m);
    expect(body).toMatch(/^inventory_query_duration_seconds_count\{app="write-api"\} 1$/m);
    expect(body).toMatch(/^inventory_restock_completed_total\{outcome="completed",app="write-api"\} 1$/m);
    expect(body).toMatch(
      /^http_request_duration_seconds_count\{app="write-api",method="POST",route="\/inventory\/update",status_code="200"\} 1$/m,
    );
    expect(body).toMatch(/^process_cpu_seconds_total/m);
    await metrics.close();
  });

  it('when metrics are disabled, then nothing is recorded but process metrics still are', async () => {
    const metrics = new Metrics({ app: 'query-api', environment: 'test', enabled: false, logger });
    metrics.count('CacheHit');
    const { body } = await metrics.exposition();
    expect(body).toMatch(/^inventory_cache_hits_total\{app="query-api"\} 0$/m);
    expect(body).toMatch(/^process_cpu_seconds_total/m);
  });
});
