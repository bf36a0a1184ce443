export * from './lib/cpu-allowance';
export * from './lib/cpu-governor';
export * from './lib/cpu-usage.reporter';
