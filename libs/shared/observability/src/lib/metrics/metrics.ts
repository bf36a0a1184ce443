import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { collectDefaultMetrics, Counter, Gauge, Histogram, type Metric, Registry } from 'prom-client';
import type { Logger } from '../logger';
import { CloudWatchPublisher } from './cloudwatch-publisher';
import {
  type CountMetric,
  type GaugeMetric,
  INVENTORY_METRICS,
  type InventoryMetric,
  METRIC_NAMESPACE,
  type TimingMetric,
} from './metric-catalog';

export interface MetricsOptions {
  app: string;
  environment: string;
  /** False leaves only the process metrics: nothing is recorded per request. */
  enabled: boolean;
  cloudWatch?: {
    region: string;
    /** A local endpoint in place of CloudWatch's. */
    endpoint?: string;
    flushIntervalMs: number;
    maxPendingDatums?: number;
  };
  logger: Logger;
}

export interface CollectedGauge {
  name: string;
  help: string;
  labelNames: string[];
  /** Asked at scrape time; each entry is one labelled value. */
  collect: () => Promise<Array<{ labels: Record<string, string>; value: number }>>;
}

const QUERY_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

function cloudWatchClient(region: string, endpoint: string | undefined): CloudWatchClient {
  // As for DynamoDB: a local endpoint needs some credentials to sign with, unless the environment has some.
  const localCredentials = endpoint && !process.env['AWS_ACCESS_KEY_ID'] ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;
  // One attempt per send: the publisher retries itself, and never while a pod is stopping.
  return new CloudWatchClient({
    region,
    endpoint,
    credentials: localCredentials,
    maxAttempts: 1,
    requestHandler: { requestTimeout: 5_000, throwOnRequestTimeout: true },
  });
}

/**
 * What apps record metrics through. Every figure goes to Prometheus (`/metrics`, scraped) and,
 * when configured, to CloudWatch under the original names, aggregated and sent in the background.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly cloudWatch?: CloudWatchPublisher;
  private readonly prometheus = new Map<InventoryMetric, Counter | Histogram | Gauge>();
  private readonly httpRequestSeconds: Histogram<'method' | 'route' | 'status_code'>;

  constructor(private readonly options: MetricsOptions) {
    this.registry.setDefaultLabels({ app: options.app });
    collectDefaultMetrics({ register: this.registry });
    for (const [name, definition] of Object.entries(INVENTORY_METRICS) as Array<
      [InventoryMetric, (typeof INVENTORY_METRICS)[InventoryMetric]]
    >) {
      const config = {
        name: definition.prometheusName,
        help: definition.help,
        labelNames: 'labelNames' in definition ? [...definition.labelNames] : [],
        registers: [this.registry],
      };
      this.prometheus.set(
        name,
        definition.kind === 'count'
          ? new Counter(config)
          : definition.kind === 'gauge'
            ? new Gauge(config)
            : new Histogram({ ...config, buckets: QUERY_SECONDS_BUCKETS }),
      );
    }
    this.httpRequestSeconds = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: QUERY_SECONDS_BUCKETS,
      registers: [this.registry],
    });

    if (options.cloudWatch) {
      const dropped = new Counter({
        name: 'inventory_metrics_dropped_total',
        help: 'CloudWatch datums dropped because CloudWatch rejected them or the pending buffer was full',
        registers: [this.registry],
      });
      this.cloudWatch = new CloudWatchPublisher({
        client: cloudWatchClient(options.cloudWatch.region, options.cloudWatch.endpoint),
        namespace: METRIC_NAMESPACE,
        dimensions: [
          { Name: 'Service', Value: options.app },
          { Name: 'Environment', Value: options.environment },
        ],
        flushIntervalMs: options.cloudWatch.flushIntervalMs,
        maxPendingDatums: options.cloudWatch.maxPendingDatums ?? 10_000,
        logger: options.logger,
        onDropped: (datums) => dropped.inc(datums),
      });
      this.cloudWatch.start();
    }
  }

  count(metric: CountMetric, value = 1, labels: Record<string, string> = {}): void {
    if (!this.options.enabled) return;
    (this.prometheus.get(metric) as Counter).inc(labels, value);
    this.cloudWatch?.record(metric, INVENTORY_METRICS[metric].unit, value);
  }

  timing(metric: TimingMetric, milliseconds: number): void {
    if (!this.options.enabled) return;
    (this.prometheus.get(metric) as Histogram).observe(milliseconds / 1000);
    this.cloudWatch?.record(metric, INVENTORY_METRICS[metric].unit, milliseconds);
  }

  gauge(metric: GaugeMetric, value: number): void {
    if (!this.options.enabled) return;
    (this.prometheus.get(metric) as Gauge).set(value);
    this.cloudWatch?.record(metric, INVENTORY_METRICS[metric].unit, value);
  }

  httpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    if (!this.options.enabled) return;
    this.httpRequestSeconds.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  /** A Prometheus gauge whose values are read when scraped (e.g. queue depth). */
  collectedGauge(gauge: CollectedGauge): Metric {
    return new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: gauge.labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        // A source that is down leaves its series out rather than failing the whole scrape.
        const values = await gauge.collect().catch(() => []);
        for (const { labels, value } of values) this.set(labels, value);
      },
    });
  }

  /** The Prometheus text exposition of everything above. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Sends what CloudWatch has not had yet, waiting at most `timeoutMs`. */
  async close(timeoutMs = 5_000): Promise<void> {
    await this.cloudWatch?.stop(timeoutMs);
  }
}
