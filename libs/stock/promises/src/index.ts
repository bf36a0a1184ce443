export { createPromises, createPromiseViews, type Promises, type PromiseDeps } from './lib/create-promises';
export type { PromiseViews } from './lib/promise-views';
export { type PromiseContext, EXPIRY_ACTOR } from './lib/reservations/reservations';
export { setSafetyStock, type SafetyStockAnswer } from './lib/safety-stock';
