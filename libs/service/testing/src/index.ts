export * from './lib/inventory-test-environment';
