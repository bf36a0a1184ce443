export * from './lib/manifest';
export * from './lib/manifest-slice';
export * from './lib/sku-integrity';
export * from './lib/cpu-stage';
export * from './lib/restock.processor';
export * from './lib/store-write-pacer';
