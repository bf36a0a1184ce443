export * from './lib/inventory-updater';
