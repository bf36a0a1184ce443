export * from './lib/inventory-test-environment';
export * from './lib/wait-until';
export * from './lib/composed-service';
