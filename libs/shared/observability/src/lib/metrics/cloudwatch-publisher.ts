import {
  type CloudWatchClient,
  type Dimension,
  type MetricDatum,
  PutMetricDataCommand,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { backOff } from 'exponential-backoff';
import type { Logger } from '../logger';
import { MetricAggregator } from './metric-aggregator';
import { packPutMetricDataRequests } from './put-metric-data-batches';

export interface CloudWatchPublisherOptions {
  client: CloudWatchClient;
  namespace: string;
  dimensions: Dimension[];
  /** Mean time between flushes; each wait is jittered ±10% so a fleet's pods do not flush in step. */
  flushIntervalMs: number;
  /** Datums kept for the next flush when CloudWatch failed; beyond this they are dropped and counted. */
  maxPendingDatums: number;
  logger: Logger;
  /** Attempts per request within one flush, for throttling and server errors. */
  attempts?: number;
  firstRetryDelayMs?: number;
  onDropped?: (datums: number) => void;
}

export interface CloudWatchPublisherStats {
  datumsSent: number;
  datumsDropped: number;
  requestsFailed: number;
}

/** Throttling, CloudWatch's own faults and network failures pass; a request CloudWatch rejects will not. */
function isRetryable(error: unknown): boolean {
  const failure = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = failure.$metadata?.httpStatusCode;
  return Boolean(failure.$retryable) || /Throttl/i.test(failure.name ?? '') || status === undefined || status === 429 || status >= 500;
}

/**
 * Sends recorded metrics to CloudWatch in the background: aggregated in memory, flushed every
 * interval (and on stop) in as few PutMetricData calls as the quotas allow. Recording is a map
 * update; nothing a request does waits on CloudWatch, and a CloudWatch outage costs at most the
 * bounded pending buffer.
 */
export class CloudWatchPublisher {
  private readonly aggregator = new MetricAggregator();
  private pending: MetricDatum[] = [];
  private flushing?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  readonly stats: CloudWatchPublisherStats = { datumsSent: 0, datumsDropped: 0, requestsFailed: 0 };

  constructor(private readonly options: CloudWatchPublisherOptions) {}

  record(name: string, unit: StandardUnit, value: number): void {
    this.aggregator.add(name, unit, value);
  }

  start(): void {
    if (this.timer || this.stopped) return;
    const schedule = () => {
      const wait = this.options.flushIntervalMs * (0.9 + Math.random() * 0.2);
      this.timer = setTimeout(() => void this.flush().finally(() => !this.stopped && schedule()), wait);
      this.timer.unref();
    };
    schedule();
  }

  /** Sends what was recorded; a flush already under way is joined rather than run twice. */
  flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Stops the timer and makes a last flush, waiting at most `timeoutMs` for it. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]).finally(() =>
      clearTimeout(timeout),
    );
  }

  private async send(): Promise<void> {
    if (!this.aggregator.isEmpty) this.keep(this.aggregator.drain(new Date(), this.options.dimensions));
    const requests = packPutMetricDataRequests(this.pending);
    this.pending = [];
    for (const [index, datums] of requests.entries()) {
      try {
        await backOff(() => this.options.client.send(new PutMetricDataCommand({ Namespace: this.options.namespace, MetricData: datums })), {
          numOfAttempts: this.options.attempts ?? 3,
          startingDelay: this.options.firstRetryDelayMs ?? 200,
          jitter: 'full',
          retry: (error) => !this.stopped && isRetryable(error),
        });
        this.stats.datumsSent += datums.length;
      } catch (error) {
        this.stats.requestsFailed += 1;
        const unsent = requests.slice(index).flat();
        if (isRetryable(error)) {
          this.options.logger.warn({ err: error, datums: unsent.length }, 'CloudWatch unavailable; metrics kept for the next flush');
          this.keep(unsent);
        } else {
          this.options.logger.error({ err: error, datums: unsent.length }, 'CloudWatch rejected metrics; dropped');
          this.drop(unsent.length);
        }
        return;
      }
    }
  }

  private keep(datums: MetricDatum[]): void {
    this.pending.push(...datums);
    const excess = this.pending.length - this.options.maxPendingDatums;
    if (excess > 0) {
      this.pending.splice(0, excess);
      this.drop(excess);
      this.options.logger.warn({ dropped: excess, kept: this.pending.length }, 'metrics buffer full; oldest unsent metrics dropped');
    }
  }

  private drop(datums: number): void {
    this.stats.datumsDropped += datums;
    this.options.onDropped?.(datums);
  }
}
