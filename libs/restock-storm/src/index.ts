export * from './lib/cpu-allowance';
export * from './lib/cpu-governor';
export * from './lib/manifest';
export * from './lib/restock.processor';
export * from './lib/sku-integrity';
export * from './lib/restock-worker';
export * from './lib/cpu-usage.reporter';
