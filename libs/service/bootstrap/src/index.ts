export {
  runInventoryService,
  serveComposed,
  type ServedApp,
  createServiceContext,
  type ComposeService,
  type ServiceContext,
  type ServiceParts,
} from './lib/run-inventory-service';
export { connectRedis, createInventoryBackends, type InventoryBackends } from './lib/inventory-backends';
export { createServiceMetrics } from './lib/service-metrics';
export { createRateLimits, type RateLimits } from './lib/platform-rate-limits';
