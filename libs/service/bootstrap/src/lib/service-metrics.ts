import type { Config } from '@inventory/shared/config';
import { type Logger, Metrics } from '@inventory/shared/observability';

/** An app's metrics as configured: Prometheus always, CloudWatch when enabled. */
export function createServiceMetrics(config: Config, app: string, logger: Logger): Metrics {
  return new Metrics({
    app,
    environment: config.APP_ENV,
    enabled: config.METRICS_ENABLED,
    cloudWatch: config.CLOUDWATCH_METRICS_ENABLED
      ? { region: config.AWS_REGION, endpoint: config.CLOUDWATCH_ENDPOINT, flushIntervalMs: config.METRICS_FLUSH_SECONDS * 1000 }
      : undefined,
    logger,
  });
}
