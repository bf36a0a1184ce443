export { type Logger, createLogger } from './lib/logger';
export { requestLogging } from './lib/request-logging';
export { METRIC_NAMESPACE, INVENTORY_METRICS } from './lib/metrics/metric-catalog';
export { type CollectedGauge, Metrics } from './lib/metrics/metrics';
export { currentRequestId } from './lib/request-context';
export { throttledWarning } from './lib/throttled-warning';
