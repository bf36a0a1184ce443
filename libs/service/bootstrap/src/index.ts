export * from './lib/run-inventory-service';
export * from './lib/inventory-backends';
export * from './lib/service-metrics';
export * from './lib/platform-rate-limits';
