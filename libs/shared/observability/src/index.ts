export * from './lib/logger';
export * from './lib/request-logging';
export * from './lib/metrics/metric-catalog';
export * from './lib/metrics/cloudwatch-publisher';
export * from './lib/metrics/metrics';
export * from './lib/request-context';
export * from './lib/throttled-warning';
