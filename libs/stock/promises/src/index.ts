export { createPromises, type Promises, type PromiseDeps } from './lib/create-promises';
export { type PromiseContext, EXPIRY_ACTOR } from './lib/reservations/reservations';
export { setSafetyStock, type SafetyStockAnswer } from './lib/safety-stock';
