export { LowStockThresholdRepository } from './lib/low-stock-threshold.repository';
export { thresholdCrossings, stockEventsOf } from './lib/threshold-crossings';
