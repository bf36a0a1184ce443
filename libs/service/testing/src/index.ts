export { type InventoryTestEnvironment, startInventoryTestEnvironment, jsonOf, prometheusSample } from './lib/inventory-test-environment';
export { waitUntil } from './lib/wait-until';
export {
  testServiceContext,
  type ServedForTest,
  stopComposed,
  serveForTest,
  wiringOf,
  productionWiring,
  asAdmin,
} from './lib/composed-service';
