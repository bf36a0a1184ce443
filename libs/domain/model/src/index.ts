export * from './lib/app-error';
export * from './lib/identifiers';
export * from './lib/inventory-item';
export * from './lib/parse-input';
export * from './lib/update-inventory.command';
export * from './lib/catalog';
